"""What every scheduled flow starts from: the court day it runs for, the instant, the database."""
from datetime import date, datetime, time, timezone

from services.bootstrap import build_registry
from services.kernel.clock import COURT_TZ
from store.db import Database, get_database


def court_clock(as_of: date | None, at: time) -> tuple[date, datetime]:
    """The court day and the instant: today and now in Asia/Shanghai, or, for a run given `as_of`
    (a catch-up or a test), that day at the flow's scheduled hour `at`."""
    now = datetime.now(timezone.utc)
    if as_of is None:
        return now.astimezone(COURT_TZ).date(), now
    return as_of, datetime.combine(as_of, at, tzinfo=COURT_TZ).astimezone(timezone.utc)


def flow_database(database_url: str | None) -> Database:
    """A flow's start-up: every lifecycle plugged in (policy files validated), then its database."""
    build_registry()
    return Database(database_url) if database_url else get_database()
