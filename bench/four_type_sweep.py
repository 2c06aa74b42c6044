"""Benchmark: the four-type sweep (SPEC §3) over the province data set.

Works on a copy of the SQLite file, adds the supervision tables, then runs the sweep
for a day three times: the first run flags the backlog (every pending case over 12 months,
≥10 parties, a keyword, or remanded), the second the same day must add nothing, the third
(the next day) adds only that day's due reports and warnings. Prints wall time and rows.
"""
import argparse
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel, select

from services.bootstrap import build_registry
from services.supervision.sweeps import sweep_four_type
from store.db import Database
from store.models import FourTypeFlag, Supervision

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--as-of", default="2025-03-03")
    args = parser.parse_args()
    target = OUT / "four_type.db"
    fresh_copy(Path(args.source), target)
    db = Database(f"sqlite:///{target}")
    SQLModel.metadata.create_all(db.writer)  # the seed makes its tables without Alembic: add the new ones
    day = date.fromisoformat(args.as_of)
    for run, as_of in ((1, day), (2, day), (3, day + timedelta(days=4))):
        started = time.perf_counter()
        with db.write() as session:
            added = sweep_four_type(session, as_of, datetime.now(timezone.utc))
        elapsed = time.perf_counter() - started
        with db.read() as session:
            flags = session.exec(select(func.count()).select_from(FourTypeFlag)).one()
            sups = session.exec(select(func.count()).select_from(Supervision)).one()
        print(f"run {run} (as of {as_of}): {elapsed:.2f} s  rows added {added}  flags {flags}  supervisions {sups}")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
