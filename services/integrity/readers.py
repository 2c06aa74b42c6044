"""Who reads an interference record: inspection (an insider's inquiry) or the trial office (outside interference)
of the case's court and of the courts above it (层报上级人民法院), and the recorder — never the person recorded
nor anyone under them, whatever role they hold: a record naming a higher court's leader whose grant reaches
down the tree is read only above them. The recorder's name is shown to those readers and to no one else."""
from sqlalchemy import false, or_
from sqlmodel import Session, select

from services.kernel.access import court_path
from services.kernel.actor import Actor
from services.kernel.need_to_know import withheld_named
from services.kernel.policy import policy
from store.models import Court, InterferenceRecord


def reader_roles(session: Session, court_id: int, source: str) -> set[str]:
    readers = policy(session, court_id, "integrity").readers
    return set(readers.inside if source == "inside" else readers.outside)


def reads_at(session: Session, actor: Actor, court_id: int, roles: set[str]) -> bool:
    """One of `roles` court-wide at the court, or at a court above it."""
    path = court_path(session, court_id)
    places = [int(c) for c in path.strip("/").split("/") if c]
    return any(actor.roles_at(c, court_path(session, c), None) & roles for c in places)


def may_read(session: Session, actor: Actor, record: InterferenceRecord) -> bool:
    return _Reader(session, actor).reads(record)


def readable(session: Session, actor: Actor) -> list[InterferenceRecord]:
    """The records the actor may read, newest first: their own, and those of the courts they read for."""
    courts = _courts_read(session, actor)
    rows = session.exec(select(InterferenceRecord).where(or_(
        InterferenceRecord.recorded_by == actor.user_id,
        InterferenceRecord.court_id.in_(courts) if courts else false()))
        .order_by(InterferenceRecord.occurred_on.desc(), InterferenceRecord.id.desc())).all()
    reader = _Reader(session, actor)
    return [r for r in rows if reader.reads(r)]


def courts_reading(session: Session, actor: Actor, sources: tuple[str, ...]) -> list[int]:
    """The courts where the actor reads records of one of `sources`: reads_at each court by its reader roles."""
    courts = _courts_read(session, actor)
    paths = session.info.setdefault("court_paths", {})  # court_path's cache: each court is read by reads_at and policy
    paths.update(session.exec(select(Court.id, Court.path).where(Court.id.in_(courts))).all())
    return [c for c in courts if reads_at(session, actor, c, set().union(*(reader_roles(session, c, s) for s in sources)))]


class _Reader:
    """One actor's reading of many records: who is over them and what they read per court, worked out once."""

    def __init__(self, session: Session, actor: Actor):
        self.session, self.actor = session, actor
        self.withheld = withheld_named(session, actor)
        self.by_court: dict[tuple[int, str], bool] = {}

    def reads(self, record: InterferenceRecord) -> bool:
        if self.actor.user_id == record.recorded_by:
            return True
        if record.person_user_id is not None and record.person_user_id in self.withheld:
            return False
        key = (record.court_id, record.source)
        if key not in self.by_court:
            self.by_court[key] = reads_at(self.session, self.actor, record.court_id,
                                          reader_roles(self.session, record.court_id, record.source))
        return self.by_court[key]


def _courts_read(session: Session, actor: Actor) -> list[int]:
    """The courts at or below a court-wide grant of the actor, or a grant reaching down (candidates only: `may_read`
    decides each record by its source's reader roles)."""
    if actor.is_system:
        return list(session.exec(select(Court.id)).all())
    paths = [g.court_path for g in actor.grants if g.division_id is None or g.include_subtree]
    if not paths:
        return []
    return list(session.exec(select(Court.id).where(or_(*[Court.path.startswith(p) for p in paths]))).all())
