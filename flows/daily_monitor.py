"""The daily monitor flow (日监测): warnings, overdue notices, long-pending escalation, every task's due date chased."""
from datetime import date, time

from prefect import flow

from flows.run_context import court_clock, flow_database
from flows.run_log import recorded
from services.kernel.sweeps import run_daily_monitor


@flow(name="daily-monitor", log_prints=True)
@recorded("daily-monitor")
def daily_monitor(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Run every monitoring sweep for the court day `as_of` (default: today in Asia/Shanghai)."""
    day, now = court_clock(as_of, time(0, 30))
    db = flow_database(database_url)
    result = run_daily_monitor(db, day, now)
    db.refresh_statistics()  # once a day, after the day's largest writes
    print(result)
    return vars(result)
