"""Benchmark: the monthly quality-review selection over the province data set (run bench/seed_province.py first).

Works on a copy of the SQLite file (or on DATABASE_URL), adds the review tables if the copy
predates them, then selects the month before `--as-of` twice — the first run draws every
court and selects the focused cases, the second must add nothing — and prints wall time
and counts for each, and whether every stored draw re-runs to the same cases.
"""
import argparse
import time
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, update
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel, select

import store.models  # noqa: F401  (registers the tables)
from services.bootstrap import build_registry
from services.quality_review.sampling import previous_month, sample_month, verify_draw
from store.db import Database
from store.models import Case, ReviewDraw

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--url", help="a PostgreSQL URL instead of the SQLite copy")
    parser.add_argument("--as-of", default="2025-03-01")
    parser.add_argument("--fold-previous", action="store_true",
                        help="on the copy, move the closings of the month before into the sampled month "
                             "(the province set closes ~53,000 cases a month; folded, a month has ~100,000)")
    args = parser.parse_args()
    db = Database(args.url or _copy(Path(args.source)))
    SQLModel.metadata.create_all(db.writer)  # the review tables, if the copy has none yet
    day = date.fromisoformat(args.as_of)
    if args.fold_previous:
        _fold_previous_month(db, day)
    with db.read() as session:
        start, end, month = previous_month(day)
        closed = session.exec(select(func.count()).select_from(Case).where(Case.closed_on.between(start, end))).one()
    print(f"month {month}: {closed} cases closed")
    for run in (1, 2):
        started = time.perf_counter()
        result = sample_month(db, day, datetime.now(timezone.utc))
        print(f"run {run}: {time.perf_counter() - started:.2f} s  {result}")
    started = time.perf_counter()
    with db.read() as session:
        ids = session.exec(select(ReviewDraw.id)).all()
        verified = sum(verify_draw(session, i) for i in ids)
    print(f"re-ran {len(ids)} stored draws in {time.perf_counter() - started:.2f} s: {verified} give the stored cases")


def _fold_previous_month(db, day: date) -> None:
    """Shift the closings of the month before the sampled one by a month (clamped to its last day)."""
    start, end, _ = previous_month(day)
    before_start, before_end, _ = previous_month(start)
    with db.write() as session:
        session.exec(update(Case).where(Case.closed_on.between(before_start, before_end))
                     .values(closed_on=func.min(func.date(Case.closed_on, "+1 month"), end.isoformat())))


def _copy(source: Path) -> str:
    return fresh_copy(source, OUT / "review.db")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
