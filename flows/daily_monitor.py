"""The daily monitor flow (日监测): warnings, overdue notices, long-pending escalation, every task's due date chased.

The day's run is shared among Prefect task runs: each policy sweep runs over `shares` slices of the places at
once, each slice in its own transaction, then the other sweeps one by one, then the day is closed with its trace
entry. Every sweep is idempotent for the day, so a slice that fails is simply run again; the rows written are the
same as one transaction's (`run_daily_monitor`), which a test compares row for row."""
from datetime import date, datetime, time

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.run_context import court_clock, flow_database
from flows.run_log import recorded
from services.kernel.policy import Scope
from services.kernel.registry import current
from services.kernel.sweeps import MonitorResult, close_day, monitor_shares, open_day, run_sweep, sweep_share

SHARES = 2
"""Slices of the courts swept at once: one per worker thread; on SQLite they take the write lock in turn."""


@flow(name="daily-monitor", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=SHARES))
@recorded("daily-monitor")
def daily_monitor(as_of: date | None = None, database_url: str | None = None, shares: int = SHARES) -> dict:
    """Run every monitoring sweep for the court day `as_of` (default: today in Asia/Shanghai)."""
    day, now = court_clock(as_of, time(0, 30))
    db = flow_database(database_url)
    result = _step(db, day, lambda session, part: open_day(session, part, day, now))
    with db.read() as session:
        slices = monitor_shares(session, shares)
    for index, sweep in enumerate(current().policy_sweeps):
        runs = [sweep_courts.with_options(task_run_name=f"{sweep.__name__}-{n}").submit(db, index, scope, day, now)
                for n, scope in enumerate(slices, 1)]
        for run in runs:
            result.add(run.result())
    for name in current().sweeps:
        result.add(_step(db, day, lambda session, part, name=name: run_sweep(session, part, name, day, now)))
    with db.write() as session:
        close_day(session, result, day, now)
    db.refresh_statistics()  # once a day, after the day's largest writes
    print(result)
    return vars(result)


@task(name="monitor-sweep", cache_policy=NO_CACHE, retries=1)
def sweep_courts(db, index: int, scope: Scope, day: date, now: datetime) -> MonitorResult:
    """One policy sweep over one slice of the places, in its own transaction."""
    return _step(db, day, lambda session, part: sweep_share(session, part, index, scope, day, now))


def _step(db, day: date, work) -> MonitorResult:
    part = MonitorResult(as_of=day.isoformat())
    with db.write() as session:
        work(session, part)
    return part
