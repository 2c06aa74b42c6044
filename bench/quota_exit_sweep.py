"""Benchmark: the daily monitor's quota-exit sweep over the province data set (6,000 judges).

Copies the province SQLite file, adds the quota-exit tables, opens a mandatory exit for every
tenth quota judge (through open_exit_proceeding, contract C2), gives each a running window —
the judge's statement period or the committee's decision period, opened on staggered days so
that on the day measured some are reminded, some lapse and some are overdue — then runs the
sweep twice for that day: the first run does the work, the second must add nothing.
"""
import argparse
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path

from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel, select

import store.models  # noqa: F401
from services.bootstrap import build_registry
from services.kernel.actor import Actor
from services.quota_exit.sweeps import sweep_exit_windows
from services.quota_exit.proceedings import open_exit_proceeding
from services.quota_exit.windows import open_window
from store.db import Database
from store.models import ExitProceeding, User

OUT = Path(__file__).resolve().parent / "out"


def _at(day: date) -> datetime:
    return datetime.combine(day, clock(2), tzinfo=timezone.utc)


def seed(db: Database, as_of: date, share: int) -> int:
    with db.write() as s:
        judges = s.exec(select(User.id).where(User.is_quota_judge).order_by(User.id)).all()[::share]
        for i, judge_id in enumerate(judges):
            opened = as_of - timedelta(days=i % 45)
            pid = open_exit_proceeding(s, judge_id=judge_id, ground="assessment_failure", grounds_text="bench",
                                       opened_by=Actor.system(), now=_at(opened), source=f"bench:{judge_id}")
            row = s.get(ExitProceeding, pid)
            row.state = "statement_period" if i % 2 else "committee_review"
            s.add(row)
            open_window(s, row, "statement" if i % 2 else "committee_decision", opened)
    return len(judges)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--as-of", default="2025-03-03")
    parser.add_argument("--share", type=int, default=10, help="one proceeding per this many quota judges")
    args = parser.parse_args()
    target = OUT / "quota_exit.db"
    fresh_copy(Path(args.source), target)
    db, day = Database(f"sqlite:///{target}"), date.fromisoformat(args.as_of)
    SQLModel.metadata.create_all(db.writer)
    started = time.perf_counter()
    print(f"opened {seed(db, day, args.share)} proceedings in {time.perf_counter() - started:.2f} s")
    for run in (1, 2):
        started = time.perf_counter()
        with db.write() as s:
            rows = sweep_exit_windows(s, day, _at(day))
        print(f"sweep run {run}: {time.perf_counter() - started:.3f} s, {rows} rows (reminders, lapsed, escalated)")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
