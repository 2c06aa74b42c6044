"""Writing the trace from a command: the actor's name and id, the subject, the reason; and reading a
subject's timeline back."""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from services.kernel.actor import Actor
from store import trace
from store.models import TraceEntry, User


def record(session: Session, actor: Actor, action: str, *, at: datetime, subject_kind: str = "",
           subject_id: int | None = None, court_id: int | None = None, why: str = "",
           before: dict | None = None, after: dict | None = None):
    return trace.append(
        session, at=at, actor=actor.username, actor_id=actor.user_id, action=action,
        subject_kind=subject_kind, subject_id=subject_id, court_id=court_id, why=why,
        before=before, after=after,
    )


def record_refusal(db, actor: Actor, action: str, reason: str, *, at: datetime, **subject) -> None:
    """A refused step is logged in a transaction of its own, after the command rolled back."""
    with db.write() as session:
        record(session, actor, f"refused:{action}", at=at, why=reason, **subject)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str  # the person's name (the trace keeps the username)
    action: str
    why: str | None


def timeline(db, kind: str, subject_id: int, limit: int = 100) -> list[TimelineEntry]:
    """The subject's trace entries, newest first (the timeline of its page), each person by name."""
    with db.read() as session:
        stmt = (select(TraceEntry, User.display_name).outerjoin(User, User.id == TraceEntry.actor_id)
                .where(TraceEntry.subject_kind == kind, TraceEntry.subject_id == subject_id)
                .order_by(TraceEntry.seq.desc()).limit(limit))
        return [TimelineEntry(e.at, name or e.actor, e.action, e.why) for e, name in session.exec(stmt).all()]
