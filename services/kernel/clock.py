"""Court dates are dates in the court's time zone (`COURTFLOW_TIMEZONE`, Asia/Shanghai by default):
the one conversion from an instant to a court day."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from store.config import get_settings

COURT_TZ = ZoneInfo(get_settings().timezone)


def local_date(moment: datetime) -> date:
    """The court's calendar date of an aware datetime; a naive one names no day and is refused."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime: cannot tell which calendar day it is in {COURT_TZ.key}")
    return moment.astimezone(COURT_TZ).date()


def local_today(now: datetime) -> date:
    return now.astimezone(COURT_TZ).date()


def court_time(at: datetime) -> str:
    """An instant as the court's wall clock, to the minute; SQLite hands back naive UTC."""
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(COURT_TZ).strftime("%Y-%m-%d %H:%M")
