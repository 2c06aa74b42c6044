"""案件质量评查 rules (SPEC §4): the schema of quality_review.yaml and the reproducible routine draw."""
import hashlib
import math
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from policies.duties import duty
from policies.roles import Role

GRADES = ("pass", "flaw", "major_flaw", "error")
MANDATORY_CATEGORIES = ("remanded", "revised", "petition", "long_pending")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Routine(_Strict):
    rate: float = Field(gt=0, le=1)
    at_least_one_per_judge: bool = True


class Focused(_Strict):
    categories: list[str]
    long_pending_months: int = Field(ge=1)

    @field_validator("categories")
    @classmethod
    def _mandatory(cls, v: list[str]) -> list[str]:
        missing = [c for c in MANDATORY_CATEGORIES if c not in v]
        unknown = [c for c in v if c not in MANDATORY_CATEGORIES]
        if missing or unknown:
            raise ValueError(f"must list exactly the mandatory categories {list(MANDATORY_CATEGORIES)} "
                             f"(missing {missing}, unknown {unknown}); the order is the precedence")
        return v


class Reviewers(_Strict):
    roles: list[Role] = Field(min_length=1)
    exclude_same_division: bool = True
    review_days: int = Field(ge=1, json_schema_extra=duty("@roles"))


class Objection(_Strict):
    window_days: int = Field(ge=1)
    decide_days: int = Field(ge=1)


class Rectification(_Strict):
    grades: list[str]
    due_days: int = Field(ge=1, json_schema_extra=duty("judge"))

    @field_validator("grades")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        if bad := [g for g in v if g not in GRADES]:
            raise ValueError(f"unknown grades {bad}; known: {list(GRADES)}")
        return v


class QualityReviewPolicy(_Strict):
    routine: Routine
    focused: Focused
    reviewers: Reviewers
    objection: Objection
    rectification: Rectification
    grade_points: dict[str, float]

    @model_validator(mode="after")
    def _every_grade_scored(self):
        if sorted(self.grade_points) != sorted(GRADES):
            raise ValueError(f"grade_points must score exactly {list(GRADES)}")
        return self

    def needs_rectification(self, grade: str) -> bool:
        return grade in self.rectification.grades


def rank(seed: str, case_id: int) -> bytes:
    """A case's place in the draw: SHA-256 of the seed and the case id, which anyone can recompute."""
    return hashlib.sha256(f"{seed}|{case_id}".encode()).digest()


def draw_sample(population: Iterable[tuple[int, int]], seed: str, rate: float, per_judge: bool = True) -> list[int]:
    """The routine sample from (case id, lead judge id) pairs: the same population and seed give the same cases.

    Cases are ordered by `rank`. First, when `per_judge`, each judge's best-ranked case is
    taken; then the best-ranked others until the sample reaches ceil(rate × population).
    So the sample is the policy's share, or more only where that share would miss a judge.
    """
    pairs = sorted(set(population))
    ordered = sorted(pairs, key=lambda p: rank(seed, p[0]))
    chosen: dict[int, None] = {}
    if per_judge:
        seen: set[int] = set()
        for case_id, judge_id in ordered:
            if judge_id not in seen:
                seen.add(judge_id)
                chosen[case_id] = None
    target = math.ceil(rate * len(pairs) - 1e-9)
    for case_id, _ in ordered:
        if len(chosen) >= target:
            break
        chosen.setdefault(case_id, None)
    return sorted(chosen)
