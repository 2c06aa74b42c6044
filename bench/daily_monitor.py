"""Benchmark: the daily monitor over the province data set (run bench/seed_province.py first).

    PYTHONPATH=. .venv/bin/python bench/daily_monitor.py [--url URL] [--as-of DAY] [--peer]

Works on a copy of the SQLite file (or on DATABASE_URL), runs the monitor for the seed's
day twice — the first run sends the backlog of warnings, the second must add nothing —
then for the next day, and prints wall time, CPU time, counts and each sweep's seconds for each. Every registered
sweep runs (cases, four-type flags, quality review, quota exit, petitions), as in the daily-monitor flow.

With --peer, the same run then times the peer's raw-SQL deadline sweep (../shared/peers/sql_sweep.py, stdlib
SQLite in its own processes) at the province's pending-case count, and prints the next-day monitor's time over
the peer's next-day sweep.
"""
import argparse
import json
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel

import store.models  # noqa: F401  (every feature's tables)
from services.bootstrap import build_registry
from services.kernel.registry import current
from services.kernel.sweeps import run_daily_monitor
from store.db import Database
from store.models.case import IS_PENDING, Case

OUT = Path(__file__).resolve().parent / "out"
PEER = Path(__file__).resolve().parents[2] / "shared" / "peers" / "sql_sweep.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--url", help="a PostgreSQL URL instead of the SQLite copy")
    parser.add_argument("--as-of", default="2025-03-03")
    parser.add_argument("--peer", action="store_true", help="then time the raw-SQL deadline sweep at the same count")
    args = parser.parse_args()
    url = args.url or _copy(Path(args.source))
    db, day = Database(url), date.fromisoformat(args.as_of)
    SQLModel.metadata.create_all(db.writer)  # the features' tables, if the data set predates them
    timings = _time_each_sweep()
    runs = [(day, 1), (day, 2), (day + timedelta(days=1), 3)]  # the day twice, then the next day
    for run_day, run in runs:
        timings.clear()
        started, cpu = time.perf_counter(), time.process_time()
        result = run_daily_monitor(db, run_day, datetime.now(timezone.utc))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"run {run} ({run_day}): {wall:.2f} s wall, {cpu:.2f} s CPU  {result}")
        print("  per sweep: " + ", ".join(f"{name} {t:.3f} s" for name, t in sorted(timings.items(), key=lambda x: -x[1])))
    if args.peer:
        _peer(_pending(db), wall, cpu)


def _pending(db: Database) -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(Case).where(IS_PENDING)).scalar_one()


def _peer(pending: int, wall: float, cpu: float) -> None:
    """The peer's deadline sweep over as many open cases, three times; the ratio of the next-day monitor to its
    next-day sweep (median), by our CPU (SQLite runs in this process) and by wall time."""
    out = subprocess.run([sys.executable, str(PEER), str(pending), "--repeats", "3"], check=True, capture_output=True,
                         text=True).stdout
    peer = json.loads(out.strip().splitlines()[-1])
    daily = peer["daily_s_median"]
    print(f"peer raw-SQL sweep, {pending:,} open cases: next day {daily:.3f} s (median of {peer['daily_s_all']}), "
          f"backfill {peer['backfill_s_median']:.3f} s")
    print(f"next-day monitor / peer next-day sweep: {cpu / daily:.2f}x by our CPU, {wall / daily:.2f}x by wall")


def _time_each_sweep() -> dict[str, float]:
    """Wrap every registered sweep so each run reports its own seconds (the node and publication sweep is
    `sweep_nodes`; the chase that reminds, notices and escalates their tasks is `chase_tasks`)."""
    registry, timings = current(), {}

    def timed(name, sweep):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return sweep(*args, **kwargs)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
        return run

    registry.policy_sweeps[:] = [timed(s.__name__, s) for s in registry.policy_sweeps]
    for name, sweep in list(registry.sweeps.items()):
        registry.sweeps[name] = timed(name, sweep)
    return timings


def _copy(source: Path) -> str:
    return fresh_copy(source, OUT / "monitor.db")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
