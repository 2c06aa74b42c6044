"""Benchmark: petitions (信访) at province scale (run bench/seed_province.py first).

Works on a copy of the province SQLite file (or on DATABASE_URL via --url), adds a year of
petitions on every k-th case (about 60,000: most answered, some late, some still open),
then times the three petition sweeps run twice for the day (the second run must add
nothing), and the C4 facts over the year: petition_counts, cases_with_petitions, petition_credits.
"""
import argparse
import random
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py
from sqlmodel import select

from policies.calendar import load_calendar
from policies.registry import build
from services.bootstrap import build_registry
from services.petitions.facts import cases_with_petitions, petition_counts, petition_credits
from services.petitions.sweeps import SWEEPS
from store.bulk import insert_ignoring_duplicates
from store.db import Database
from store.models import Case, Petition

OUT = Path(__file__).resolve().parent / "out"
CHUNK = 5_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(OUT / "province.db"))
    parser.add_argument("--url", help="a PostgreSQL URL instead of the SQLite copy")
    parser.add_argument("--as-of", default="2025-03-03")
    parser.add_argument("--petitions", type=int, default=60_000)
    args = parser.parse_args()
    db, day = Database(args.url or _copy(Path(args.source))), date.fromisoformat(args.as_of)
    Petition.__table__.create(db.writer, checkfirst=True)
    timed("insert petitions", lambda: _add_petitions(db, day, args.petitions))
    now = datetime.now(timezone.utc)
    for run in (1, 2):
        timed(f"sweeps run {run}", lambda: _sweep(db, day, now))
    start = day - timedelta(days=365)
    with db.read() as s:
        timed("petition_counts (year)", lambda: len(petition_counts(s, start, day, day)))
        timed("cases_with_petitions (year)",
              lambda: s.exec(select(func.count()).select_from(cases_with_petitions(start, day).subquery())).one())
        timed("petition_credits (year)", lambda: len(petition_credits(s, start, day)))


def timed(label: str, work) -> None:
    started = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - started:.2f} s  {result}", flush=True)


def _sweep(db, day: date, now: datetime) -> dict:
    with db.write() as s:
        return {name: sweep(s, day, now) for name, sweep in SWEEPS.items()}


def _add_petitions(db, day: date, n: int) -> int:
    rng, rules, calendar = random.Random(8), build("petitions"), load_calendar()
    with db.write() as s:
        total = s.exec(select(func.count()).select_from(Case).where(Case.lead_judge_id.is_not(None))).one()
        step = max(1, total // n)
        cases = s.exec(select(Case.id, Case.court_id, Case.division_id, Case.lead_judge_id)
                       .where(Case.lead_judge_id.is_not(None)).order_by(Case.id)).all()[::step][:n]
        rows = [_row(rng, rules, calendar, day, *case) for case in cases]
        for i in range(0, len(rows), CHUNK):
            insert_ignoring_duplicates(s, Petition, rows[i:i + CHUNK], ["id"])
    return len(rows)


def _row(rng, rules, calendar, day, case_id, court_id, division_id, judge_id) -> dict:
    registered = day - timedelta(days=rng.randrange(0, 365))
    dates = rules.answer_dates(registered, calendar)
    answered = registered + timedelta(days=rng.choice((5, 10, 14, 20)))
    answered = answered if answered <= day and rng.random() < 0.9 else None
    return dict(court_id=court_id, division_id=division_id, channel=rng.choice(rules.channels), petitioner="信访人",
                petitioner_contact="", matter=rng.choice(rules.matters), summary="催促审理", case_id=case_id,
                named_person="", registered_on=registered, due_on=dates.due_on, remind_on=dates.remind_on,
                escalate_on=dates.escalate_on, calendar_complete=dates.calendar_complete,
                handler_user_id=judge_id, assigned_on=registered, answer="已答复" if answered else "",
                delivery_method="mail" if answered else None, answered_on=answered,
                answered_by=judge_id if answered else None, state="answered" if answered else "assigned",
                created_at=datetime.now(timezone.utc), version=1)


def _copy(source: Path) -> str:
    return fresh_copy(source, OUT / "petitions.db")


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
