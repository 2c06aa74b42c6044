"""案件质量评查 (SPEC §4): the monthly draws, special reviews, appeal outcomes and the reviews themselves."""
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, utcnow


class ReviewDraw(SQLModel, table=True):
    """常规随机抽查 of one court for one month: the population, the seed and the cases drawn.

    Anyone can re-run the draw (policies.quality_review.draw_sample) from `population`,
    `seed` and `rate` and must get `selected`; one draw per (court, month)."""
    __table_args__ = (UniqueConstraint("court_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id")
    month: str = Field(description="YYYY-MM: the month whose closed cases were drawn from")
    seed: str
    rate: float
    per_judge: bool = True
    population: list = json_field(list)
    selected: list = json_field(list)
    drawn_at: datetime = aware(nullable=False, default_factory=utcnow)


class SpecialReview(SQLModel, table=True):
    """专项评查: a category of cases the trial office picks by a filter."""

    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    title: str
    criteria: dict = json_field(dict)
    case_count: int = 0
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class AppealOutcome(SQLModel, table=True):
    """What the appeal court did with a case's judgment: revised (改判) or remanded (发回重审).

    Recorded against the reviewed (first-instance) case; its date puts the case into the
    focused review of that month."""
    __table_args__ = (UniqueConstraint("case_id", "outcome", "appeal_case_number"),
                      Index("ix_appealoutcome_decided", "decided_on"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    outcome: str = Field(description="revised or remanded")
    appeal_case_number: str
    decided_on: date
    recorded_by: int | None = Field(default=None, foreign_key="users.id")
    recorded_at: datetime = aware(nullable=False, default_factory=utcnow)


class Review(Versioned, SQLModel, table=True):
    """One case under quality review, from selection to closing (statemachines/review.py)."""
    __table_args__ = (
        Index("ix_review_month_state", "month", "state"),
        Index("ix_review_court_state", "court_id", "state"),
        Index("ix_review_reviewer_state", "reviewer_id", "state"),
        Index("ix_review_judge_final", "judge_id", "final_on"),
        Index("ix_review_graded_on", "graded_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    selection_key: str = Field(unique=True, description="routine:<case>, focused:<case> or special:<batch>:<case>")
    kind: str = Field(description="routine, focused or special")
    category: str = Field(default="", description="the focused category, or the special review's title")
    month: str = Field(description="YYYY-MM of the selection")
    draw_id: int | None = Field(default=None, foreign_key="reviewdraw.id")
    special_id: int | None = Field(default=None, foreign_key="specialreview.id")
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    judge_id: int | None = Field(default=None, foreign_key="users.id", description="the case's lead judge")
    state: str = "selected"
    selected_on: date
    reviewer_id: int | None = Field(default=None, foreign_key="users.id")
    reviewer_division_id: int | None = Field(default=None, foreign_key="division.id",
                                             description="where the reviewer's roles count (None: court-wide)")
    assignment_seed: str = ""
    assigned_on: date | None = None
    review_due: date | None = None
    findings: list = json_field(list)
    grade: str | None = None
    summary: str = ""
    graded_on: date | None = None
    objection_due: date | None = None
    objection: str = ""
    objected_on: date | None = None
    decision_due: date | None = None
    objection_decision: str = ""
    objection_decided_on: date | None = None
    final_grade: str | None = None
    final_on: date | None = None
    rectification_due: date | None = None
    rectification_report: str = ""
    rectified_on: date | None = None
    rereview_note: str = ""
    closed_on: date | None = None
    referred_on: date | None = Field(default=None, description="referred to inspection (signs of illegal adjudication)")
    referral_note: str = ""
    version: int = 1
