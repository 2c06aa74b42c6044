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

from policies.indicators import INDICATORS
from policies.roles import Role

DIMENSIONS = ("quantity", "quality", "efficiency", "effect")
GRADES = ("excellent", "competent", "basically_competent", "incompetent")  # words: the catalog's `grade.<code>`
PERIOD_KINDS = ("month", "quarter", "half", "year")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradeRule(_Strict):
    grade: Literal["excellent", "competent", "basically_competent", "incompetent"]
    min_score: float = Field(ge=0, le=100)


STAFF_SOURCES = ("steps", "served", "hearings", "archived", "tasks_done", "tasks_late", "nodes_late")
"""What a staff indicator counts in the month, from the person's recorded work: procedural steps
recorded (any), services (送达), hearings recorded (开庭), cases archived, inbox tasks done, tasks done late,
and process nodes (流程节点) done after their planned day that the person held or recorded."""
EVALUATION_KINDS = ("comprehensive", "judge_of_assistant")
LEADER_ROLES = ("president", "vice_president", "division_chief")  # the highest a person holds names their share


class StaffIndicator(_Strict):
    """`target`: the month's count that scores 100 (proportionally less below); or `penalty`: points off
    100 per counted item (for what should not happen, e.g. tasks done late)."""
    source: Literal[STAFF_SOURCES]
    weight: float = Field(gt=0)
    target: float | None = Field(default=None, gt=0)
    penalty: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _target_or_penalty(self):
        if (self.target is None) == (self.penalty is None):
            raise ValueError("a staff indicator has either a target or a penalty")
        return self

    def score(self, count: int) -> float:
        if self.target is not None:
            return 100 * min(count / self.target, 1.0)
        return max(0.0, 100 - self.penalty * count)


class StaffScheme(_Strict):
    """One role's assessment (审判辅助人员、综合行政人员): its own indicators, the team's result and the
    judge's evaluation, by weight (a missing part gives its weight to the others)."""
    roles: list[Role] = Field(min_length=1)
    assessed: bool = True
    indicators: dict[str, StaffIndicator] = Field(min_length=1)
    weights: dict[Literal["own", "team", "judge_evaluation"], float]
    pass_score: float = Field(default=60, ge=0, le=100, description="a month below it is a month not met")

    @field_validator("weights")
    @classmethod
    def _sum_to_one(cls, v: dict[str, float]) -> dict[str, float]:
        if any(w < 0 for w in v.values()) or abs(sum(v.values()) - 1) > 1e-9 or v.get("own", 0) <= 0:
            raise ValueError("weights own, team and judge_evaluation must be ≥ 0 (own > 0) and sum to 1")
        return v

    def own_score(self, counts: dict[str, int]) -> float:
        total = sum(i.weight for i in self.indicators.values())
        return round(sum(i.weight * i.score(counts.get(i.source, 0)) for i in self.indicators.values()) / total, 2)

    def combined(self, parts: dict[str, float | None]) -> float:
        present = {k: v for k, v in parts.items() if v is not None and self.weights.get(k, 0) > 0}
        total = sum(self.weights[k] for k in present)
        return round(sum(self.weights[k] * v for k, v in present.items()) / total, 2)


class ScoreItemRule(_Strict):
    """A bonus (加分) or deduction (减分) item: its label and its points (negative for a deduction)."""
    label: str = Field(min_length=2)
    points: float

    @field_validator("points")
    @classmethod
    def _not_zero(cls, v: float) -> float:
        if v == 0:
            raise ValueError("an item's points are not zero")
        return v


class Qualitative(_Strict):
    """定性与定量、加分与减分相结合: the leaders' comprehensive evaluation takes `comprehensive_weight` of the
    month's score where there is one; approved items add their points × `items_weight`."""
    comprehensive_weight: float = Field(default=0.1, ge=0, lt=1)
    items_weight: float = Field(default=1.0, gt=0)
    items: dict[str, ScoreItemRule] = {}
    enter_roles: list[Role] = Field(min_length=1)
    approval_working_days: int = Field(default=5, ge=1)
    objection_working_days: int = Field(default=10, ge=1)


class LeaderCaseloads(_Strict):
    """院庭长办案: each leader's share of the average weighted closures (year to date) of the court's
    judges (`basis: court`) or of the judges of their division's category (`basis: category`)."""
    shares: dict[Literal["president", "vice_president", "division_chief"], float]
    basis: Literal["court", "category"] = "court"

    @field_validator("shares")
    @classmethod
    def _fractions(cls, v: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= s <= 1 for s in v.values()):
            raise ValueError("each leader's share is a fraction between 0 and 1")
        return v


class UnitTargets(_Strict):
    """全院目标、部门业绩: the indicators whose reference range (indicators.yaml) is a court's and a
    division's target, besides the year's closure task (closure_goal paced, summed over its judges)."""
    indicators: list[str] = Field(min_length=1)

    @field_validator("indicators")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        unknown = set(v) - set(INDICATORS)
        if unknown:
            raise ValueError(f"unknown indicators {sorted(unknown)}; known: {', '.join(INDICATORS)}")
        if "acceptance_rate" in v:  # its appeals are counted apart from the pass over the month's cases
            raise ValueError("acceptance_rate cannot be a court's or division's monthly target yet")
        return v


class ResultLists(_Strict):
    """The lists personnel uses, from a period's records: award candidates (score at least
    `award_min_score`), promotion candidates (score at least `promotion_min_score` and the task met),
    interview candidates (score below `interview_below`, the task missed, or an approved deduction)."""
    award_min_score: float = Field(default=90, ge=0, le=200)
    promotion_min_score: float = Field(default=85, ge=0, le=200)
    interview_below: float = Field(default=60, ge=0, le=200)


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
    staff: dict[str, StaffScheme] = {}
    qualitative: Qualitative
    leader_caseloads: LeaderCaseloads
    unit_targets: UnitTargets
    lists: ResultLists = ResultLists()

    def staff_schemes(self) -> dict[str, StaffScheme]:
        return {name: s for name, s in self.staff.items() if s.assessed}

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


def with_qualitative(policy: AssessmentPolicy, base: float, evaluation: float | None, item_points: float) -> float:
    """The month's score: the quantified score, blended with the comprehensive evaluation where there is
    one, plus the approved items' points."""
    q = policy.qualitative
    blended = base if evaluation is None else (1 - q.comprehensive_weight) * base + q.comprehensive_weight * evaluation
    return round(max(0.0, blended + q.items_weight * item_points), 2)


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None
