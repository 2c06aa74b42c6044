"""分案 rules: the reproducible random draw, and the schema of assignment.yaml."""
import hashlib
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class AssignmentPolicy(_Strict):
    designated: Designated
    fast_track: FastTrack
    reassignment: Reassignment
    leader_cases: LeaderCases


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
