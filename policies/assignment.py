"""分案 rules: the reproducible random draw, and the schema of assignment.yaml."""
import hashlib
from functools import lru_cache
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from policies.loading import DEFAULTS_DIR, load_yaml_model
from policies.roles import Role


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Designated(_Strict):
    approver_roles: list[Role] = Field(min_length=1)


class FastTrack(_Strict):
    procedures: list[str]


class Reassignment(_Strict):
    reasons: dict[str, Role] = Field(min_length=1)


class LeaderCases(_Strict):
    """健全院领导主要审理重大疑难复杂案件机制: a case filed with one of these reasons is drawn among the
    court's leaders holding these roles (the division chief of its division, the court's presidents). A case
    already flagged as a four-type case in one of `four_type_categories` when it is assigned goes to them
    without anyone asking, with `four_type_reason`."""
    reasons: list[str] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    four_type_categories: list[Annotated[int, Field(ge=1, le=4)]] = Field(default_factory=list)
    four_type_reason: str = "四类案件"

    @model_validator(mode="after")
    def _reason_listed(self):
        if self.four_type_categories and self.four_type_reason not in self.reasons:
            raise ValueError(f"four_type_reason {self.four_type_reason!r} is not one of reasons")
        return self


class Bench(_Strict):
    """The seats of a panel with people's assessors: its judges (the lead judge presiding) and its assessors."""
    judges: int = Field(ge=1)
    assessors: int = Field(ge=1)

    @model_validator(mode="after")
    def _odd(self):
        if (self.judges + self.assessors) % 2 == 0:
            raise ValueError("a panel has an odd number of members")
        return self


class Assessors(_Strict):
    """人民陪审员 (人民陪审员法, 2018): a first-instance case of one of `procedures` that calls for assessors (one
    of `grounds`: 第十五条, 第十七条 for a three-person panel; 第十六条 for a seven-person one) is tried by a panel
    of judges and assessors: the procedure's three-person bench, or the `seven`-person bench (第十四条). The
    judges preside; the assessors are drawn from the court's pool (its `assessor` grants) like the judges."""
    procedures: dict[str, Bench] = {}
    seven: Bench = Bench(judges=3, assessors=4)
    grounds: dict[str, Literal["three", "seven"]] = {}


class Panels(_Strict):
    """审判组织: the procedures tried by a panel (合议庭) and its number of judges, the lead judge presiding
    among them; a procedure not listed is tried by a sole judge (独任). The other members are drawn like the
    lead judge; a change of member is a reassignment request naming the seat. A case with an assessors'
    ground sits with people's assessors instead (`assessors`)."""
    judges: dict[str, int] = {}
    assessors: Assessors = Assessors()

    @field_validator("judges")
    @classmethod
    def _odd_and_at_least_three(cls, v: dict[str, int]) -> dict[str, int]:
        for procedure, n in v.items():
            if n < 3 or n % 2 == 0:
                raise ValueError(f"{procedure}: a panel has an odd number of judges, at least 3")
        return v

    def size(self, procedure: str) -> int:
        return self.judges.get(procedure, 1)

    def seats(self, procedure: str, ground: str | None) -> tuple[int, int]:
        """(judges, assessors) of the case's panel: with no ground the procedure's judges alone; with one, the
        procedure's three-person bench or the seven-person one, as the ground says (a ground the policy lists,
        for a procedure it lists: the caller checks both)."""
        if not ground:
            return self.size(procedure), 0
        bench = self.assessors.seven if self.assessors.grounds[ground] == "seven" else self.assessors.procedures[procedure]
        return bench.judges, bench.assessors


class SerialCases(_Strict):
    """系列案件: a party of a new case also party to this many other pending cases of the court is shown to the
    filing clerk as a possible series (to relate them: the same judge)."""
    min_other_pending: int = Field(default=2, ge=1)


class AssignmentPolicy(_Strict):
    division_scope: ClassVar[bool] = True  # a division may override it (its fast-track procedures, approvers…)
    designated: Designated
    fast_track: FastTrack
    reassignment: Reassignment
    leader_cases: LeaderCases
    panels: Panels = Panels()
    serial_cases: SerialCases = SerialCases()


@lru_cache(maxsize=1)
def default_assignment() -> AssignmentPolicy:
    """The shipped assignment policy, loaded once per process (the seeds seat their panels by it)."""
    return load_yaml_model(DEFAULTS_DIR / "assignment.yaml", AssignmentPolicy)


def draw(candidates: list[int], seed: str) -> int:
    """Pick one candidate; the same candidates and seed always give the same judge.

    The candidates are sorted first, so the order they were listed in does not matter;
    the index comes from SHA-256 of the seed and the list, which anyone can recompute.
    """
    if not candidates:
        raise ValueError("no eligible judge to draw from")
    ordered = sorted(set(candidates))
    material = f"{seed}|{','.join(map(str, ordered))}".encode()
    return ordered[int.from_bytes(hashlib.sha256(material).digest()[:8], "big") % len(ordered)]
