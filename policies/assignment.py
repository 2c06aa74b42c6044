"""分案 rules: the reproducible random draw, and the schema of assignment.yaml."""
import hashlib

from pydantic import BaseModel, ConfigDict, Field

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
    court's leaders holding these roles (the division chief of its division, the court's presidents)."""
    reasons: list[str] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)


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
