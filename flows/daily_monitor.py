"""The daily monitor flow (日监测): warnings, overdue notices, long-pending and approval escalation."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from prefect import flow

from services.monitor import run_daily_monitor
from store.db import Database, get_database

COURT_TZ = ZoneInfo("Asia/Shanghai")


@flow(name="daily-monitor", log_prints=True)
def daily_monitor(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Run every monitoring sweep for the court day `as_of` (default: today in Asia/Shanghai)."""
    now = datetime.now(timezone.utc)
    day = as_of or now.astimezone(COURT_TZ).date()
    if as_of is not None:
        now = datetime.combine(day, time(0, 30), tzinfo=COURT_TZ).astimezone(timezone.utc)
    db = Database(database_url) if database_url else get_database()
    result = run_daily_monitor(db, day, now)
    db.refresh_statistics()  # once a day, after the day's largest writes
    print(result)
    return vars(result)
