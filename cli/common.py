"""Helpers shared by the subcommands: the database, dates, the clock."""
import sys
from datetime import date, datetime, time, timezone

from services.kernel.clock import COURT_TZ
from store.db import get_database


def database():
    return get_database()


def fail(message: str, code: int = 2) -> int:
    print(f"courtflow: {message}", file=sys.stderr)
    return code


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad(text)
    except ValueError:
        _bad(text)


def _bad(text: str):
    raise ValueError(f"invalid date {text!r} (expected YYYY-MM-DD)")


def moment_of(day: date | None) -> datetime:
    """A court day as an instant (09:00 Asia/Shanghai); today's real time when no day is given."""
    if day is None:
        return datetime.now(timezone.utc)
    return datetime.combine(day, time(9, 0), tzinfo=COURT_TZ).astimezone(timezone.utc)
