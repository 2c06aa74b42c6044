"""四类案件 supervision, professional judges' meetings, the adjudication committee, 阅核 (SPEC §2, §3)."""
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, in_states, json_field, unique_where, utcnow

OPEN_MEETING = ("referred", "concluded")
OPEN_COMMITTEE = ("proposed", "referred")
OPEN_DRAFT = ("in_review", "returned")
"""The states in which a meeting, a committee referral or a draft review is still open: one per case at a time."""


class FourTypeRuleCheck(SQLModel, table=True):
    """How far the daily monitor has checked the four-type rules that only a case's own facts decide (parties,
    cause, remand): cases up to `last_case_id` were checked under these rules and courts. Only the rule that time
    alone can meet (pending over 12 months) is checked daily over every pending case."""
    __tablename__ = "four_type_rule_check"

    rules_key: str = Field(primary_key=True, description="digest of the fact rules and the courts they apply to")
    last_case_id: int = 0


class FourTypeFlag(SQLModel, table=True):
    """A case flagged in one of the four categories; once per (case, category), whoever flags first."""
    __tablename__ = "four_type_flag"
    __table_args__ = (UniqueConstraint("case_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    category: int = Field(description="1–4 as SPEC §3 numbers them")
    source: str = Field(description="manual:<role>, rule:<name> or proposal:<id>")
    reason: str = ""
    flagged_by: int | None = Field(default=None, foreign_key="users.id", description="null: an automatic rule")
    flagged_on: date = Field(index=True)  # the monitor notices the day's new flags
    created_at: datetime = aware(nullable=False, default_factory=utcnow)


class FourTypeProposal(Versioned, SQLModel, table=True):
    """A proposal to flag (e.g. a petition naming the judge's conduct), decided by the policy's role."""
    __tablename__ = "four_type_proposal"
    __table_args__ = (UniqueConstraint("case_id", "category", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    category: int
    reason: str
    source: str
    state: str = "proposed"
    decider_role: str
    proposed_at: datetime = aware(nullable=False, default_factory=utcnow)
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    decided_on: date | None = None
    note: str = ""
    version: int = 1


class Supervision(Versioned, SQLModel, table=True):
    """The supervision of one flagged case: flagged → reported → ended (when the case is decided)."""
    __table_args__ = (Index("ix_supervision_state_due", "state", "report_due"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    state: str = "flagged"
    flagged_on: date
    report_due: date | None = Field(default=None, description="null until the case has a lead judge")
    reported_on: date | None = None
    reported_by: int | None = Field(default=None, foreign_key="users.id")
    report_text: str = ""
    ended_on: date | None = None
    version: int = 1


class SupervisionMeasure(SQLModel, table=True):
    """One measure a supervisor took (查阅卷宗, 旁听庭审, 要求报告, 类案检索, 提交专业法官会议/审委会): who, when, what."""
    __tablename__ = "supervision_measure"

    id: int | None = Field(default=None, primary_key=True)
    supervision_id: int = Field(foreign_key="supervision.id", index=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str
    actor_id: int = Field(foreign_key="users.id")
    at: datetime = aware(nullable=False, default_factory=utcnow)
    on: date
    note: str = ""
    ref_kind: str | None = None
    ref_id: int | None = None


class RequiredReport(Versioned, SQLModel, table=True):
    """A report the case cannot be decided without: progress, deliberation or similar-case search (类案检索)."""
    __tablename__ = "required_report"
    __table_args__ = (Index("ix_required_report_case_state", "case_id", "state"),
                      unique_where("uq_required_report_outstanding", "state = 'required'", "case_id", "kind"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    supervision_id: int | None = Field(default=None, foreign_key="supervision.id")
    kind: str = Field(description="progress, deliberation or similar_case_search")
    due_on: date | None = None
    reason: str = ""
    required_by: int = Field(foreign_key="users.id")
    required_at: datetime = aware(nullable=False, default_factory=utcnow)
    state: str = "required"
    received_on: date | None = None
    received_by: int | None = Field(default=None, foreign_key="users.id")
    text: str = ""
    version: int = 1


class MeetingReferral(Versioned, SQLModel, table=True):
    """专业法官会议: the question, the positions to choose from, the members; the majority view; the panel's answer."""
    __tablename__ = "meeting_referral"
    __table_args__ = (unique_where("uq_meeting_open", in_states(OPEN_MEETING), "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    question: str
    options: list = json_field(list)
    member_ids: list = json_field(list)
    source: str = Field(description="panel, supervision or draft_review")
    referred_by: int = Field(foreign_key="users.id")
    referred_at: datetime = aware(nullable=False, default_factory=utcnow)
    state: str = "referred"
    majority_view: str | None = None
    unanimous: bool = False
    concluded_on: date | None = None
    answer_reason: str = ""
    answered_by: int | None = Field(default=None, foreign_key="users.id")
    answered_on: date | None = None
    version: int = 1


class MeetingOpinion(SQLModel, table=True):
    """One member's opinion at a meeting; one per member."""
    __tablename__ = "meeting_opinion"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"), Index("ix_meeting_opinion_given", "given_on"))

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting_referral.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    view: str
    reasoning: str = ""
    given_on: date


class CommitteeReferral(Versioned, SQLModel, table=True):
    """审判委员会: proposed → referred → decided (binding on the panel); published with the judgment unless withheld."""
    __tablename__ = "committee_referral"
    __table_args__ = (Index("ix_committee_decided_on", "decided_on"),
                      unique_where("uq_committee_open", in_states(OPEN_COMMITTEE), "case_id"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    question: str
    source: str = Field(description="supervision, draft_review or panel")
    referred_by: int = Field(foreign_key="users.id")
    referred_at: datetime = aware(nullable=False, default_factory=utcnow)
    state: str = "proposed"
    decision: str = ""
    reasons: str = ""
    decided_on: date | None = None
    recorded_by: int | None = Field(default=None, foreign_key="users.id")
    publish: bool = True
    withheld_ground: str = ""
    judgment_doc_ref: str | None = None
    decline_reason: str = ""
    version: int = 1


class CommitteeParticipant(SQLModel, table=True):
    """A committee member who took part in a decision (credited work, SPEC §5)."""
    __tablename__ = "committee_participant"
    __table_args__ = (UniqueConstraint("referral_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="committee_referral.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)


class DraftReview(Versioned, SQLModel, table=True):
    """阅核: a draft document going up the policy's chain; reviewers act on it, never on its outcome."""
    __tablename__ = "draft_review"
    __table_args__ = (Index("ix_draft_review_state", "state", "court_id"),
                      unique_where("uq_draft_review_open", in_states(OPEN_DRAFT), "case_id"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    document_kind: str
    outcome: str = Field(description="裁判结果 as the panel drafted it; only the panel changes it")
    summary: str = ""
    chain: list = json_field(list)
    step: int = 0
    round: int = 1
    state: str = "in_review"
    submitted_by: int = Field(foreign_key="users.id")
    submitted_on: date
    approved_on: date | None = None
    version: int = 1


class DraftReviewAction(SQLModel, table=True):
    """What one reviewer did with a draft at one step of one round."""
    __tablename__ = "draft_review_action"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft_review.id", index=True)
    round: int
    step: int
    role: str
    reviewer_id: int = Field(foreign_key="users.id")
    action: str
    note: str = ""
    at: datetime = aware(nullable=False, default_factory=utcnow)
