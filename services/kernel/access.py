"""Access to a subject: who acts (Command), where roles count, and the 404 for what one may not see."""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from services.kernel.actor import Actor
from services.kernel.errors import NotFound
from services.kernel.subjects import SubjectKind
from store.models import Court


@dataclass
class Command:
    """What an event's effects get: the open session, who acts, and when (one command, one transaction)."""

    session: Session
    actor: Actor
    now: datetime


def court_path(session: Session, court_id: int) -> str:
    """The court's place in the tree, read once per session: a command asks for it at every role check, and the
    identity map keeps no Court that nobody holds."""
    paths = session.info.setdefault("court_paths", {})
    if court_id not in paths:
        court = session.get(Court, court_id)
        paths[court_id] = court.path if court else "/"
    return paths[court_id]


def load_visible(session: Session, actor: Actor, kind: SubjectKind, subject_id: int):
    """The subject's row, or NotFound; the row comes with its court's path (for court_path) in one query, where
    a command spent two primary-key loads."""
    model = kind.model
    found = session.exec(select(model, Court.path).outerjoin(Court, Court.id == model.court_id)
                         .where(model.id == subject_id)).first()
    row = found[0] if found else None
    if row is not None:
        session.info.setdefault("court_paths", {}).setdefault(row.court_id, found[1] or "/")
    if row is None or not kind.seen_by(session, actor, row, lambda c: court_path(session, c)):
        raise NotFound("not_found.kernel.not_found", subject_kind=kind.name, subject_id=subject_id)
    return row


def roles_here(session: Session, actor: Actor, kind: SubjectKind, row) -> set[str]:
    return set().union(*(actor.roles_at(c, court_path(session, c), d) for c, d in kind.places(row)))
