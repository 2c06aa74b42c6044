"""Benchmark: the daily monitor over the province data set (run bench/seed_province.py first).

Works on a copy of the SQLite file (or on DATABASE_URL), runs the monitor for the seed's
day twice — the first run sends the backlog of warnings, the second must add nothing —
and prints wall time and counts for each. Every registered sweep runs (cases, four-type
flags, quality review, quota exit, petitions), as in the daily-monitor flow.
"""
import argparse
import time
from datetime import date, datetime, timezone
from pathlib import Path

from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel

import store.models  # noqa: F401  (every feature's tables)
from services.bootstrap import build_registry
from services.kernel.sweeps import run_daily_monitor
from store.db import Database

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--url", help="a PostgreSQL URL instead of the SQLite copy")
    parser.add_argument("--as-of", default="2025-03-03")
    args = parser.parse_args()
    url = args.url or _copy(Path(args.source))
    db, day = Database(url), date.fromisoformat(args.as_of)
    SQLModel.metadata.create_all(db.writer)  # the features' tables, if the data set predates them
    for run in (1, 2):
        started = time.perf_counter()
        result = run_daily_monitor(db, day, datetime.now(timezone.utc))
        print(f"run {run}: {time.perf_counter() - started:.2f} s  {result}")


def _copy(source: Path) -> str:
    return fresh_copy(source, OUT / "monitor.db")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
