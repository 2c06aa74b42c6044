"""Registering and acting on petitions in tests, and the four-type proposals they make."""
from sqlmodel import select

from services.petitions.registration import PetitionCreate, register_petition
from store.models import FourTypeProposal
from tests.case_helpers import actor, at


def register(db, world, day="2025-03-03", who="office", **fields) -> int:
    data = {"channel": "letter", "petitioner": "王某", "matter": "case_progress", "summary": "催促审理进度",
            "court_id": world.courts["hp"].id, **fields}
    if data.get("case_number"):
        data.pop("court_id")
    return register_petition(db, actor(db, who), PetitionCreate(**data), at(day))


def proposals(db) -> list[tuple[int, int, str, str]]:
    """The four-type proposals made so far: (case, category, source, state)."""
    with db.read() as s:
        rows = s.exec(select(FourTypeProposal).order_by(FourTypeProposal.id)).all()
    return [(p.case_id, p.category, p.source, p.state) for p in rows]
