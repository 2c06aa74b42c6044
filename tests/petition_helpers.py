"""Registering and acting on petitions in tests, and a stand-in for the supervision work's
`propose_four_type` (contract C3) until that work lands on main."""
import sys
import types

from services.petition_registration import PetitionCreate, register_petition
from tests.case_helpers import actor, at


def register(db, world, day="2025-03-03", who="office", **fields) -> int:
    data = {"channel": "letter", "petitioner": "王某", "matter": "case_progress", "summary": "催促审理进度",
            "court_id": world.courts["hp"].id, **fields}
    if data.get("case_number"):
        data.pop("court_id")
    return register_petition(db, actor(db, who), PetitionCreate(**data), at(day))


class FourTypeProposals(types.ModuleType):
    """Behaves as C3 says: one proposal per (case, category, source); a repeat returns None."""

    def __init__(self):
        super().__init__("services.four_type_proposals")
        self.calls: list[dict] = []
        self.made: dict[tuple, int] = {}

    def propose_four_type(self, session, *, case_id, category, reason, source, now):
        self.calls.append({"case_id": case_id, "category": category, "reason": reason, "source": source})
        key = (case_id, category, source)
        if key in self.made:
            return None
        self.made[key] = len(self.made) + 100
        return self.made[key]


def install_four_type_double(monkeypatch) -> FourTypeProposals:
    double = FourTypeProposals()
    monkeypatch.setitem(sys.modules, "services.four_type_proposals", double)
    return double
