"""Benchmark: the monthly assessment and one month's indicators over the province data set.

Works on a copy of bench/out/province.db (run bench/seed_province.py first), migrated to the
newest tables. Assesses December 2024 (with the Q4, H2 and annual evaluations and the yearly
ladder rungs), then January 2025, then January again (must add nothing), then computes one
month's indicators (with 环比 and 同比) for every court, division and judge of the province.
"""
import argparse
import time
from datetime import date, datetime, timezone
from pathlib import Path

from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers the tables)
from policies.periods import Period
from policies.registry import build
from services.bootstrap import build_registry
from services.assessment.monthly import run_monthly_assessment
from services.assessment.indicators import indicator_report
from store.db import Database

OUT = Path(__file__).resolve().parent / "out"


def timed(label: str, fn):
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(f"{label}: {time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--url", help="a PostgreSQL URL instead of the SQLite copy")
    parser.add_argument("--indicators-month", default="2025-02")
    args = parser.parse_args()
    url = args.url or _copy(Path(args.source))
    db = Database(url)
    SQLModel.metadata.create_all(db.writer)  # the seed makes its tables without Alembic: add the new ones
    now = datetime.now(timezone.utc)
    for as_of in (date(2025, 1, 1), date(2025, 2, 1), date(2025, 2, 1)):
        result = timed(f"monthly assessment as of {as_of}", lambda: run_monthly_assessment(db, as_of, now))
        print(f"  {result['months']}")
    with db.read() as session:
        report = timed(f"indicators {args.indicators_month} (+环比, 同比), whole province",
                       lambda: indicator_report(session, Period.parse(args.indicators_month), build("indicators")))
    levels = {lvl: sum(u["level"] == lvl for u in report["units"]) for lvl in ("court", "division", "judge")}
    print(f"  units: {levels}")


def _copy(source: Path) -> str:
    return fresh_copy(source, OUT / "assessment.db")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
