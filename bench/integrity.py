"""Benchmark: 三个规定 at province scale (run bench/seed_province.py first).

Works on a copy of the province SQLite file: migrates it to the newest schema, adds `--records`
interference records on every k-th assigned case (a setup step, not a product path), then times the
monthly reports' sweep (every judge's report and task for the month) run twice on one day, the quarterly
summaries run twice in their window, the records one trial office reads, and the powers lists."""
import argparse
import random
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from alembic import command
from sqlmodel import select, text

from services.bootstrap import build_registry
from services.integrity.powers import role_list
from services.integrity.readers import readable
from services.integrity.reports import open_reports
from services.integrity.summaries import write_summaries
from services.kernel.actor import load_actor
from store.bulk import insert_many_ignoring_duplicates
from store.db import Database
from store.models import Case, InterferenceRecord, RoleGrant, User
from store.schema import alembic_config, ensure_schema

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    build_registry()
    db = Database(fresh_copy(Path(args.source), OUT / "integrity.db"))
    timed("migrate the copy (setup)", lambda: _migrate(db))
    timed("insert records (setup)", lambda: _add_records(db, args.records))
    now = datetime.now(timezone.utc)
    for day in (date(2025, 1, 3), date(2025, 2, 3), date(2025, 3, 3)):
        for run in (1, 2):
            timed(f"monthly reports {day:%Y-%m}, run {run}", lambda: _sweep(db, open_reports, day, now))
    for run in (1, 2):
        timed(f"quarterly summaries 2025Q1, run {run}", lambda: _sweep(db, write_summaries, date(2025, 4, 10), now))
    with db.read() as s:
        office = s.exec(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                        .where(RoleGrant.role == "trial_office")).first()
        actor = load_actor(s, office)
        timed("records one trial office reads", lambda: len(readable(s, actor)))
    timed("the division chief's powers list", lambda: len(role_list("division_chief")["events"]))


def timed(label: str, work) -> None:
    started = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - started:.2f} s  {result}", flush=True)


def _migrate(db) -> str:
    """The seed builds its tables with create_all at main's head: stamp that, then apply this branch's migrations."""
    with db.read() as s:
        stamped = s.exec(text("SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'")).one()[0]
    if not stamped:
        command.stamp(alembic_config(db.url), "w13merge0001")
    ensure_schema(db)
    return "heads"


def _sweep(db, sweep, day: date, now: datetime) -> int:
    with db.write() as s:
        return sweep(s, day, now)


def _add_records(db, n: int) -> int:
    rng = random.Random(20)
    with db.write() as s:
        cases = s.exec(select(Case.id, Case.court_id, Case.division_id, Case.lead_judge_id)
                       .where(Case.lead_judge_id.is_not(None)).order_by(Case.id)).all()
        step = max(1, len(cases) // n)
        rows = [dict(case_id=c, court_id=court, division_id=division, recorded_by=judge, source=rng.choice(
            ("inside", "outside")), person_name="某人", person_post="", person_org="", person_user_id=None,
            occurred_on=date(2025, 1, 1) + timedelta(days=rng.randrange(0, 90)), manner=rng.choice(
                ("in_person", "phone", "note", "through_others")), asked="过问", response="如实记录",
            recorded_at=datetime(2025, 3, 31, tzinfo=timezone.utc))
            for c, court, division, judge in cases[::step][:n]]
        return insert_many_ignoring_duplicates(s, InterferenceRecord, rows, ["id"])


if __name__ == "__main__":
    main()
