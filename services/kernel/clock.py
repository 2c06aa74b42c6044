"""Court dates are Asia/Shanghai dates: the one conversion from an instant to a court day."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

COURT_TZ = ZoneInfo("Asia/Shanghai")


def local_today(now: datetime) -> date:
    return now.astimezone(COURT_TZ).date()
