"""Benchmark: the chase of every task's due date (services/kernel/chase.py) over the province data set.

Copies the province SQLite file and brings its task table up to the inbox migration (the seed builds
its tables from the models of its day, without Alembic), runs the daily monitor once for the day
before (the sweeps open their tasks: long-pending supervision, four-type reports, …), then gives every
quota judge `--per-judge` open tasks of the kinds a court keeps (ladder explanations, required reports,
meeting opinions, …) and every division chief an approval, due on days spread from 40 days before to 20
days after the day measured. Then the chase alone, in its own transaction, for the day measured: the
first run does the backlog (every overdue task noticed and escalated at once, as on the day the chase is
deployed), the second run the same day must add nothing, the run of the next day is an ordinary day.
"""
import argparse
import time
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, text
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import SQLModel, select

import store.models  # noqa: F401  (every feature's tables)
from policies.registry import build
from services.bootstrap import build_registry
from services.kernel.chase import chase_tasks
from services.kernel.policy import Scope
from services.kernel.sweeps import MonitorResult, run_daily_monitor
from store.bulk import insert_many_ignoring_duplicates
from store.db import Database
from store.models import RoleGrant, Task, User

OUT = Path(__file__).resolve().parent / "out"
KINDS = ("file_explanation", "required_report", "meeting_opinion", "four_type_report", "resubmit_draft",
         "meeting_answer", "answer_petition", "review_list")
NEW_TASK_COLUMNS = ("priority VARCHAR NOT NULL DEFAULT 'normal'", "chase_stage INTEGER NOT NULL DEFAULT 0",
                    "delegated_from_user_id INTEGER", "escalates_task_id INTEGER")
NEW_DELEGATION_COLUMNS = ("ended_on DATE", "ended_by INTEGER")
NEW_TASK_INDEXES = {"ix_task_chase": "state, chase_stage, due_on", "ix_task_escalates": "state, escalates_task_id"}


def _at(day: date) -> datetime:
    return datetime.combine(day, clock(1), tzinfo=timezone.utc)


def upgrade(db: Database) -> None:
    """What migrations inbox01tasks and chase02 add, on a data set built without Alembic."""
    with db.write() as s:
        for table, columns in (("task", NEW_TASK_COLUMNS), ("delegation", NEW_DELEGATION_COLUMNS)):
            have = {row[1] for row in s.exec(text(f"PRAGMA table_info({table})")).all()}
            for column in columns if have else ():  # a table the data set lacks is created below
                if column.split()[0] not in have:
                    s.exec(text(f"ALTER TABLE {table} ADD COLUMN {column}"))
        for name, columns in NEW_TASK_INDEXES.items():
            s.exec(text(f"CREATE INDEX IF NOT EXISTS {name} ON task ({columns})"))
    SQLModel.metadata.create_all(db.writer)


def add_tasks(db: Database, as_of: date, per_judge: int) -> int:
    with db.read() as s:
        judges = s.exec(select(User.id, User.court_id, User.division_id).where(User.is_quota_judge)).all()
        chiefs = s.exec(select(RoleGrant.court_id, RoleGrant.division_id)
                        .where(RoleGrant.role == "division_chief")).all()
    rows = []
    for i, (uid, court, division) in enumerate(judges):
        for k in range(per_judge):
            n = i * per_judge + k
            rows.append(dict(kind=KINDS[n % len(KINDS)], title=f"bench {n}", subject_kind="tasks", subject_id=0,
                             court_id=court, division_id=division, assignee_user_id=uid, assignee_role=None,
                             due_on=as_of + timedelta(days=n % 61 - 40), state="open", dedupe_key=f"bench:{n}",
                             escalation_level=0, context={}, created_at=_at(as_of - timedelta(days=60)), version=1))
    for j, (court, division) in enumerate(chiefs):
        rows.append(dict(kind="approve_extension", title=f"bench approval {j}", subject_kind="tasks", subject_id=0,
                         court_id=court, division_id=division, assignee_user_id=None, assignee_role="division_chief",
                         due_on=as_of + timedelta(days=j % 11 - 5), state="open", dedupe_key=f"bench:a{j}",
                         escalation_level=0, context={}, created_at=_at(as_of - timedelta(days=60)), version=1))
    with db.write() as s:
        return insert_many_ignoring_duplicates(s, Task, rows, ["dedupe_key"])


def chase_once(db: Database, day: date) -> tuple[float, dict]:
    result = MonitorResult(as_of=day.isoformat())
    started = time.perf_counter()
    with db.write() as s:
        chase_tasks(s, result, build("monitoring"), day, _at(day), Scope())
    return time.perf_counter() - started, result.extra


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--as-of", default="2025-03-03")
    parser.add_argument("--per-judge", type=int, default=10)
    args = parser.parse_args()
    db, day = Database(fresh_copy(Path(args.source), OUT / "chase.db")), date.fromisoformat(args.as_of)
    upgrade(db)
    started = time.perf_counter()
    run_daily_monitor(db, day - timedelta(days=1), _at(day - timedelta(days=1)))
    print(f"daily monitor the day before (opens the sweeps' tasks): {time.perf_counter() - started:.2f} s")
    print(f"bench tasks added: {add_tasks(db, day, args.per_judge)}")
    with db.read() as s:
        open_due = s.exec(select(func.count()).select_from(Task).where(Task.state == "open",
                                                                        Task.due_on.is_not(None))).one()
    print(f"open tasks with a due date: {open_due}")
    for label, when in (("first run (backlog)", day), ("second run, same day", day),
                        ("next day", day + timedelta(days=1)), ("the day after", day + timedelta(days=2))):
        seconds, counts = chase_once(db, when)
        print(f"{label} {when}: {seconds:.2f} s  {counts}")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
