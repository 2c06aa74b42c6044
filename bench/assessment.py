"""Benchmark: the monthly assessment of all staff and one month's indicators over the province data set.

Works on a copy of bench/out/province.db (run bench/seed_province.py first), migrated with Alembic
(stamped at the revision the seed's tables match, then upgraded to the heads). The seed records no
procedural steps, so the copy is first given the work the assistants and clerks recorded in
December 2024 and January 2025 (services/demo/staff_work.py: a service by an assistant and a hearing
by a clerk of the case's division for each case filed from November on), so that their records are
computed from real volume. Then it assesses December 2024 (with the Q4, H2 and annual evaluations,
the yearly ladder rungs, the leaders' caseloads and the courts' and divisions' results), January
2025, January again (must add nothing), and computes one month's indicators (with 环比 and 同比) for
every court, division and judge of the province.
"""
import argparse
import time
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import inspect, text
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py

import store.models  # noqa: F401  (registers the tables)
from policies.periods import Period
from policies.registry import build
from services.bootstrap import build_registry
from services.assessment.monthly import run_monthly_assessment
from services.assessment.indicators import indicator_report
from store.db import Database
from services.demo.staff_work import seed_staff_work
from store.schema import alembic_config, ensure_schema

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
    migrate(db)
    timed("recorded work of the assistants and clerks, 2024-12 and 2025-01", lambda: record_staff_work(db))
    now = datetime.now(timezone.utc)
    for as_of in (date(2025, 1, 1), date(2025, 2, 1), date(2025, 2, 1)):
        result = timed(f"monthly assessment as of {as_of}", lambda: run_monthly_assessment(db, as_of, now))
        print(f"  {result['months']}")
    with db.read() as session:
        counts = session.execute(text("SELECT scheme, period_kind, COUNT(*) FROM assessment_record "
                                      "GROUP BY scheme, period_kind ORDER BY 1, 2")).all()
    print(f"  records by scheme and period: {counts}")
    with db.read() as session:
        report = timed(f"indicators {args.indicators_month} (+环比, 同比), whole province",
                       lambda: indicator_report(session, Period.parse(args.indicators_month), build("indicators")))
    levels = {lvl: sum(u["level"] == lvl for u in report["units"]) for lvl in ("court", "division", "judge")}
    print(f"  units: {levels}")


def migrate(db: Database) -> None:
    """The seed makes its tables without Alembic, from the models of the code that ran it: a copy seeded by
    this code is stamped at the heads; a copy with a version table is upgraded to them."""
    from alembic import command

    if not inspect(db.writer).has_table("alembic_version"):
        command.stamp(alembic_config(db.url), "heads")
    ensure_schema(db)


def record_staff_work(db: Database, first=date(2024, 11, 1), last=date(2025, 1, 31)) -> None:
    """The assistants' services and the clerks' hearings for the cases filed in [first, last]
    (services/demo/staff_work.py, as the demo seed records them)."""
    with db.write() as session:
        print(f"  {seed_staff_work(session, first, last):,} procedural events")
        session.execute(text("ANALYZE proceduralevent"))


def _copy(source: Path) -> str:
    return fresh_copy(source, OUT / "assessment.db")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
