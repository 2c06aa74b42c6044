"""Schema of assessment.yaml (SPEC §5) and the pure arithmetic of a judge's assessment.

The monthly task is a pace on the year's closure-rate goal: by the end of month m the
judge's weighted closures (plus credited non-case work) must reach
`closure_goal × pace[m] × weighted (carried over at the start of the year + received so far)`.
With the default linear pace, December's task is exactly the year's goal of 90% (结案率 =
closed ÷ (carried over + newly received)). A month's task is met when the year-to-date
quantity reaches that month's target.
"""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DIMENSIONS = ("quantity", "quality", "efficiency", "effect")
GRADES = ("excellent", "competent", "basically_competent", "incompetent")
GRADES = ("excellent", "competent", "basically_competent", "incompetent")  # words: the catalog's `grade.<code>`
PERIOD_KINDS = ("month", "quarter", "half", "year")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradeRule(_Strict):
    grade: Literal["excellent", "competent", "basically_competent", "incompetent"]
    min_score: float = Field(ge=0, le=100)


class AssessmentPolicy(_Strict):
    closure_goal: float = Field(gt=0, le=1, description="年度结案率目标")
    pace: list[float] | None = Field(default=None, description="share of the year's goal due by each month's end")
    weights: dict[str, float]
    role_coefficients: dict[Literal["lead", "member"], float]
    case_weights: dict[str, float] = {}
    default_case_weight: float = Field(default=1.0, gt=0)
    credit_points: dict[Literal["meeting", "review", "petition"], float]
    quantity_score_cap: float = Field(default=1.0, ge=1)
    grades: list[GradeRule] = Field(min_length=2)
    grade_cap_when_year_missed: Literal["excellent", "competent", "basically_competent", "incompetent"]
    ladders: list[str] = Field(min_length=1)
    rankings: bool = False

    @field_validator("weights")
    @classmethod
    def _four_dimensions(cls, v: dict[str, float]) -> dict[str, float]:
        if set(v) != set(DIMENSIONS) or any(w < 0 for w in v.values()) or abs(sum(v.values()) - 1) > 1e-9:
            raise ValueError(f"weights must give each of {', '.join(DIMENSIONS)} a share ≥ 0, summing to 1")
        return v

    @field_validator("pace")
    @classmethod
    def _twelve_rising_shares(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and (len(v) != 12 or v != sorted(v) or v[-1] != 1 or v[0] < 0):
            raise ValueError("pace must list 12 non-decreasing shares ending with 1")
        return v

    @model_validator(mode="after")
    def _grades_descend_to_zero(self):
        scores = [g.min_score for g in self.grades]
        if scores != sorted(scores, reverse=True) or scores[-1] != 0:
            raise ValueError("grades must be listed best first with falling min_score, the last at 0")
        return self

    def pace_share(self, month: int) -> float:
        return self.pace[month - 1] if self.pace else month / 12

    def case_weight(self, procedure: str) -> float:
        return self.case_weights.get(procedure, self.default_case_weight)


def target(policy: AssessmentPolicy, month: int, weighted_caseload: float) -> float:
    """The year-to-date quantified task at the end of `month` for this weighted caseload."""
    return round(policy.closure_goal * policy.pace_share(month) * weighted_caseload, 4)


def task_met(quantity: float, target_: float) -> bool:
    return quantity + 1e-9 >= target_


def quantity_score(policy: AssessmentPolicy, quantity: float, target_: float) -> float:
    """100 when the target is reached (or there is none), proportionally less below it."""
    if target_ <= 0:
        return 100.0
    return round(100 * min(quantity / target_, policy.quantity_score_cap) / policy.quantity_score_cap, 2)


def composite_score(policy: AssessmentPolicy, scores: dict[str, float | None]) -> float:
    """Weighted mean of the dimensions that have a value; a missing one gives its weight to the rest."""
    present = {d: s for d, s in scores.items() if s is not None and policy.weights[d] > 0}
    total = sum(policy.weights[d] for d in present)
    return round(sum(policy.weights[d] * s for d, s in present.items()) / total, 2) if total else 0.0


def annual_grade(policy: AssessmentPolicy, score: float, year_met: bool) -> str:
    """The best grade whose floor the score reaches, capped when the year's task was missed."""
    grade = next(g.grade for g in policy.grades if score >= g.min_score)
    if not year_met and GRADES.index(grade) < GRADES.index(policy.grade_cap_when_year_missed):
        return policy.grade_cap_when_year_missed
    return grade


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None
