"""Benchmark `seed_province` on a fresh SQLite file under bench/out/.

    PYTHONPATH=. .venv/bin/python bench/seed_province.py [--cases 1200000] [--judges 6000] [--out FILE]

Prints wall and CPU time (of this process and of the one making the rows), peak RSS, row counts and the database size.
"""
import argparse
import os
import resource
import sys
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers the tables)
from services.bootstrap import build_registry
from services.demo.scale import seed_province
from store.db import Database

OUT = Path(__file__).resolve().parent / "out"
TABLES = ("court", "division", "team", "users", "rolegrant", "cases", "excludedperiod", "extensionrequest",
          "panelmember")


def fresh_database(path: Path) -> Database:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    SQLModel.metadata.create_all(db.writer)
    return db


def report(db: Database, path: Path, wall: float, pending: int) -> None:
    usage, child = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mib = usage.ru_maxrss / 1024
    with db.writer.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # outside a transaction
        counts = {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in TABLES}
        conn.rollback()
    size = sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal") if os.path.exists(f"{path}{s}"))
    print(f"wall time      {wall:.1f} s")
    print(f"CPU time       {usage.ru_utime + usage.ru_stime:.1f} s (this process, start-up included) + "
          f"{child.ru_utime + child.ru_stime:.1f} s (the process making the rows)")
    print(f"peak RSS       {peak_mib:.0f} MiB (this process), {child.ru_maxrss / 1024:.0f} MiB (the one making the rows)")
    print(f"database size  {size / 2**20:.0f} MiB ({path})")
    for table, n in counts.items():
        print(f"  {table:<17} {n:>10,}")
    print(f"  {'pending cases':<17} {pending:>10,}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="time `courtflow seed --scale province` on SQLite")
    parser.add_argument("--cases", type=int, default=1_200_000)
    parser.add_argument("--judges", type=int, default=6_000)
    parser.add_argument("--now", type=date.fromisoformat, default=date(2025, 3, 3), help="YYYY-MM-DD")
    parser.add_argument("--out", type=Path, default=OUT / "province.db", help="the SQLite file to write")
    args = parser.parse_args(argv)
    path = args.out
    path.parent.mkdir(parents=True, exist_ok=True)
    db = fresh_database(path)
    started = time.perf_counter()
    now = datetime.combine(args.now, clock(9, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    counts = seed_province(db, now, cases=args.cases, judges=args.judges, progress=True)
    report(db, path, time.perf_counter() - started, counts["pending_cases"])
    db.dispose()
    return 0


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    sys.exit(main(sys.argv[1:]))
