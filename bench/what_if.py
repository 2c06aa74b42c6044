"""What-if benchmark: the monitoring thresholds 20/10/5 instead of 30/15/7/3 over the last 12 months of the
busiest basic court of the province data set (read-only: nothing is written, no notice is queued).

    PYTHONPATH=. .venv/bin/python bench/what_if.py --db bench/out/province.db

The database must be at the newest migration (`COURTFLOW_DATABASE_URL=sqlite:///bench/out/province.db
courtflow init` on a copy; a seeded file without Alembic's version table is stamped w13merge0001 first)."""
import argparse
import time
from datetime import date

from sqlmodel import func, select

from services.admin.what_if import what_if
from services.bootstrap import build_registry
from services.kernel.actor import Actor
from store.db import Database
from store.models import Case, Court, Notice, TraceEntry

OVERRIDE = {"warnings": {"days_before": [20, 10, 5]}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench/out/province.db")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 3, 4))
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    build_registry()
    db = Database(f"sqlite:///{args.db}")
    with db.read() as s:
        court_id, cases = s.exec(select(Case.court_id, func.count()).join(Court, Court.id == Case.court_id)
                                 .where(Court.level == "basic").group_by(Case.court_id)
                                 .order_by(func.count().desc())).first()
        court = s.get(Court, court_id)
        written = (s.exec(select(func.count()).select_from(Notice)).one(),
                   s.exec(select(func.count()).select_from(TraceEntry)).one())
        for run in (1, 2):
            started = time.perf_counter()
            result = what_if(s, Actor.system(), court_id, "monitoring", OVERRIDE, months=args.months, as_of=args.as_of)
            took = time.perf_counter() - started
            sections = {x.title: x for x in result.courts[0].sections}
            w, lp = sections["warnings"], sections["long_pending"]
            print(f"run {run}: {court.code} ({cases} cases), {result.start}..{result.end}: {took:.2f} s; "
                  f"warnings {w.before} -> {w.after} (+{w.added}/-{w.removed}), {len(w.rows)} judges differ; "
                  f"long-pending {lp.before} -> {lp.after}")
    with db.read() as s:
        after = (s.exec(select(func.count()).select_from(Notice)).one(),
                 s.exec(select(func.count()).select_from(TraceEntry)).one())
    print(f"notices, trace entries before/after: {written} / {after}")


if __name__ == "__main__":
    main()
