"""The daily checkpoint of the trace (SPEC §9): the head signed in the database and sent out of it.

The trial office of every top court is sent the head hash, so a copy of it lives outside the
database: whoever could remove both the tail and the checkpoint rows still cannot recall the notice.
A chain found broken is not signed; the same notice then names the break.
"""
from datetime import date, datetime

from sqlmodel import Session, select

from store.recipients import holders
from store import trace
from store.models import Court
from store.outbox import enqueue


def checkpoint_trace(session: Session, day: date, now: datetime) -> int:
    """Sign the day's head and tell the trial offices, once a day; 1 when a checkpoint was written."""
    try:
        mark = trace.checkpoint(session, day, now)
    except trace.TraceBroken as broken:
        _tell_trial_offices(session, day, now, seq=broken.verdict.first_bad_seq, head_hash="",
                            problem=broken.verdict.problem)
        return 0
    if mark is None:
        return 0
    _tell_trial_offices(session, day, now, seq=mark.seq, head_hash=mark.head_hash, problem="")
    return 1


def _tell_trial_offices(session: Session, day: date, now: datetime, **context) -> None:
    for court_id in session.exec(select(Court.id).where(Court.parent_id.is_(None)).order_by(Court.id)).all():
        enqueue(session, kind="trace_checkpoint", recipients=holders(session, "trial_office", court_id, on=day),
                dedupe_key=f"trace_checkpoint:{day.isoformat()}", at=now,
                context={"day": day.isoformat(), **context}, court_id=court_id)
