"""Judge performance assessment (SPEC §5): period records, ladder steps, weekly commitments, reports."""
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, utcnow


class AssessmentRecord(SQLModel, table=True):
    """每月纪实 and the quarterly, half-year and annual evaluations: one row per person and period.

    `quantity` and `target` are year-to-date weighted case-equivalents (the monthly task is a
    pace on the year's closure-rate goal); `missed_streak` counts the months (or, on a year
    row, the years) in a row whose task was missed, this one included."""
    __tablename__ = "assessment_record"
    __table_args__ = (UniqueConstraint("user_id", "period_kind", "period"),
                      Index("ix_assessment_period", "period_kind", "period", "court_id"))

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    period_kind: str = Field(description="month, quarter, half or year")
    period: str = Field(description="2025-03, 2025-Q1, 2025-H1, 2025")
    start: date
    end: date
    closed: int = 0
    member_closed: int = 0
    credits: float = 0
    quantity: float = 0
    target: float = 0
    met: bool = True
    missed_streak: int = 0
    quality: float | None = None
    efficiency: float | None = None
    effect: float | None = None
    score: float = 0
    grade: str | None = None
    detail: dict = json_field()
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class LadderStep(Versioned, SQLModel, table=True):
    """One rung of the escalation ladder opened for a judge: an explanation, an interview, an
    admonishment, the committee's consideration, an observation period or a mandatory exit.
    `dedupe_key` makes each step open once (per period for a repeating step, per run otherwise)."""
    __tablename__ = "ladder_step"
    __table_args__ = (Index("ix_ladder_step_user", "user_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    ladder: str
    step: str
    action: str
    label: str
    period: str = Field(description="the assessment period that triggered it")
    opened_on: date
    due_on: date | None = None
    state: str = "open"
    dedupe_key: str = Field(unique=True)
    explanation: str = ""
    measures: str = ""
    scheduled_for: date | None = None
    place: str = ""
    minutes: str = ""
    outcome: str = ""
    review_note: str = ""
    exit_proceeding_id: int | None = None
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    version: int = 1


class WeeklyCommitment(SQLModel, table=True):
    """法官承诺制: a judge's forecast of the week's closures, and the shortfall found after the week."""
    __tablename__ = "weekly_commitment"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    week_start: date = Field(description="the Monday of the week")
    promised: int = Field(ge=0)
    closed: int | None = None
    shortfall: int | None = None
    checked_on: date | None = None
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class Report(SQLModel, table=True):
    """A generated document: the weekly notice (周通报) or the quarterly report of a court."""
    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("kind", "court_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(description="weekly_notice or quarterly_report")
    court_id: int = Field(foreign_key="court.id")
    period: str
    title: str
    html: str
    data: dict = json_field()
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
