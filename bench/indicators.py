"""Benchmark (issue 21): one month's whole indicator catalogue (with 环比 and 同比) for every court, division and
judge of the province, and 12-month trends, on a copy of bench/out/province.db (run bench/seed_province.py first).

    PYTHONPATH=. .venv/bin/python bench/indicators.py [--source bench/out/province.db] [--month 2025-02]

Targets: the month's catalogue under 3 s, a 12-month trend under 1 s (SQLite, 2 cores).
"""
import argparse
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py

import store.models  # noqa: F401  (registers the tables)
from policies.periods import Period
from policies.registry import build
from services.assessment.indicators import indicator_report
from services.assessment.trends import indicator_trend
from services.bootstrap import build_registry
from store.db import Database
from store.models import Case, Court

OUT = Path(__file__).resolve().parent / "out"


def timed(label: str, fn):
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(f"{label}: {time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--month", default="2025-02")
    args = parser.parse_args()
    db = Database(fresh_copy(Path(args.source), OUT / "indicators.db"))
    policy, month = build("indicators"), Period.parse(args.month)
    computed = len(policy.computed())
    with db.read() as s:
        s.execute(text("SELECT COUNT(*) FROM cases")).scalar_one()  # warm the page cache as a running server has it
        report = timed(f"catalogue {month.label} ({computed} computed of {len(policy.catalogue)}, +环比 +同比), whole province",
                       lambda: indicator_report(s, month, policy))
        levels = {lvl: sum(u["level"] == lvl for u in report["units"]) for lvl in ("court", "division", "judge")}
        print(f"  units: {levels}")
        big = s.execute(select(Case.court_id, func.count()).group_by(Case.court_id).order_by(func.count().desc())).first()
        level = s.get(Court, big[0]).level
        for name in ("closure_rate", "long_pending_share", "acceptance_rate"):
            timed(f"12-month trend of {name}, largest court ({big[1]:,} cases)",
                  lambda: indicator_trend(s, policy, name, month, "court", big[0], [big[0]], level))
        timed("9-quarter trend of closure_rate, largest court",
              lambda: indicator_trend(s, policy, "closure_rate", Period("quarter", 2024, 4), "court", big[0], [big[0]], level))
    db.dispose()


if __name__ == "__main__":
    build_registry()
    main()
