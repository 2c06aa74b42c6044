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
    scheme: str = Field(default="judge", sa_column_kwargs={"server_default": "judge"},
                        description="judge (quota judges), or the staff scheme: assistant, clerk, …")
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


class Evaluation(SQLModel, table=True):
    """A score (0–100) given to a person for a month: the leaders' comprehensive evaluation (综合评价)
    or the judge's evaluation of their assistant; one per person, kind and month, last word kept."""
    __tablename__ = "assessment_evaluation"
    __table_args__ = (UniqueConstraint("user_id", "kind", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id", index=True)
    kind: str = Field(description="comprehensive or judge_of_assistant")
    period: str = Field(description="the month, 2025-03")
    score: float
    note: str = ""
    evaluator_id: int = Field(foreign_key="users.id")
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class ScoreItem(Versioned, SQLModel, table=True):
    """A bonus (加分) or deduction (减分) item: entered with reason and evidence, approved by the next
    level, objected to once by the person and decided by the assessment committee. It counts in the
    month named by `counts_in` (the month it came to stand), once."""
    __tablename__ = "score_item"
    __table_args__ = (Index("ix_score_item_counts", "counts_in", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    code: str
    label: str
    points: float
    occurred_on: date
    reason: str
    evidence: str
    state: str = "entered"
    approver_role: str
    entered_by: int = Field(foreign_key="users.id")
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    decided_on: date | None = None
    decision_note: str = ""
    counts_in: str | None = Field(default=None, description="the month whose score it counts in")
    objection: str = ""
    objected_on: date | None = None
    objection_decision: str = ""
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    version: int = 1


class LeaderCaseload(SQLModel, table=True):
    """院庭长办案 for a month: the leader's weighted closures for the year to date against their share
    of the average of the judges it is measured on."""
    __tablename__ = "leader_caseload"
    __table_args__ = (UniqueConstraint("user_id", "period"), Index("ix_leader_caseload_court", "court_id", "period"))

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    role: str
    period: str
    share: float
    basis: str = Field(description="court, or the division category the average is taken over")
    average: float
    required: float
    own: float
    closed: int = 0
    met: bool
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class UnitResult(SQLModel, table=True):
    """全院目标、部门业绩: a court's or division's month against its targets."""
    __tablename__ = "unit_result"
    __table_args__ = (UniqueConstraint("level", "unit_id", "period"), Index("ix_unit_result_court", "court_id", "period"))

    id: int | None = Field(default=None, primary_key=True)
    level: str = Field(description="court or division")
    unit_id: int
    court_id: int = Field(foreign_key="court.id")
    period: str
    targets_met: int
    targets: int
    score: float
    detail: dict = json_field()
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class IndicatorAlert(SQLModel, table=True):
    """预警: a court's or division's indicator outside its reference range for a period; one per
    (unit, indicator, period) however often the flow runs (the unique constraint keeps it so)."""
    __tablename__ = "indicator_alert"
    __table_args__ = (UniqueConstraint("level", "unit_id", "indicator", "period"),
                      Index("ix_indicator_alert_court", "court_id", "period"))

    id: int | None = Field(default=None, primary_key=True)
    level: str = Field(description="court or division")
    unit_id: int
    court_id: int = Field(foreign_key="court.id")
    indicator: str
    period: str
    value: float
    low: float | None = None
    high: float | None = None
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class ReportComment(Versioned, SQLModel, table=True):
    """审判数据会商: the trial office's comment on an analysis report and the measures decided, which the
    next report of the same length follows up; one per report."""
    __tablename__ = "report_comment"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", unique=True)
    comment: str = ""
    measures: str = ""
    author_id: int = Field(foreign_key="users.id")
    updated_at: datetime = aware(nullable=False, default_factory=utcnow)
    version: int = 1
