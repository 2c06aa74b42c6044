"""Cases and the records around their statutory clock and assignment."""
from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, in_states, json_field, unique_where, utcnow

PENDING_STATES = ("filed", "assigned", "in_trial", "under_review", "suspended")
CLOSED_STATES = ("closed", "archived", "withdrawn", "mediated", "transferred")
RUNNING_STATES = tuple(s for s in PENDING_STATES if s != "suspended")


IS_PENDING = text(in_states(PENDING_STATES))
"""The pending partial indexes' condition: the case list mostly reads the ~20% of cases still pending."""
IS_CLOSED = text(in_states(CLOSED_STATES))
CLOCK_RUNNING = text(f"{in_states(RUNNING_STATES)} AND clock_stopped = false")
"""The running-clock partial index's condition: days-left filters and deadline sweeps read only these cases.
Queries repeat it word for word, which is how SQLite and PostgreSQL know the partial index applies."""


def _partial_index(name: str, where, *columns: str) -> Index:
    return Index(name, *columns, sqlite_where=where, postgresql_where=where)


class Case(Versioned, SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_court_state", "court_id", "state"),
        Index("ix_cases_division_state", "division_id", "state"),
        Index("ix_cases_judge_state", "lead_judge_id", "state"),
        Index("ix_cases_state_filed", "state", "filed_on"),
        Index("ix_cases_closed_on", "closed_on"),
        # every order of the case list has an index, over the province and per court, so no page sorts
        Index("ix_cases_deadline", "deadline", "id"),
        Index("ix_cases_filed_on", "filed_on", "id"),
        Index("ix_cases_court_deadline", "court_id", "deadline", "id"),
        Index("ix_cases_court_filed_on", "court_id", "filed_on", "id"),
        Index("ix_cases_court_case_number", "court_id", "case_number"),
        # pending and running cases are a fifth of the table: the default list and the days-left filters
        _partial_index("ix_cases_pending_deadline", IS_PENDING, "deadline", "id"),
        _partial_index("ix_cases_pending_filed", IS_PENDING, "filed_on", "id"),
        _partial_index("ix_cases_pending_state_deadline", IS_PENDING, "state", "deadline", "id"),
        _partial_index("ix_cases_pending_court_deadline", IS_PENDING, "court_id", "deadline", "id"),
        _partial_index("ix_cases_pending_court_filed", IS_PENDING, "court_id", "filed_on", "id"),
        _partial_index("ix_cases_pending_court_state_deadline", IS_PENDING, "court_id", "state", "deadline", "id"),
        _partial_index("ix_cases_closed_filed", IS_CLOSED, "filed_on", "id"),  # the newest filed are pending
        _partial_index("ix_cases_running_deadline", CLOCK_RUNNING, "deadline", "id"),
        _partial_index("ix_cases_running_court_deadline", CLOCK_RUNNING, "court_id", "deadline", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(unique=True, description="案号, e.g. （2024）辽0102民初1234号")
    cause: str = Field(default="", description="案由")
    procedure: str
    track: str = Field(default="ordinary", description="繁简分流: ordinary or simple")
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    lead_judge_id: int | None = Field(default=None, foreign_key="users.id")
    party_count: int = 2
    filed_on: date
    state: str = "filed"
    resume_state: str | None = Field(default=None, description="the state a suspension returns to")
    deadline: date | None = None
    unrolled_deadline: date | None = None
    calendar_complete: bool = True
    clock_stopped: bool = False
    excluded_days: int = 0
    extension_count: int = 0
    adjournments: int = 0
    variant: str | None = Field(default=None, description="a procedure variant that changes the limit")
    assessor_ground: str | None = Field(default=None, description="why the case sits with people's assessors "
                                        "(assignment.yaml panels.assessors.grounds), chosen at assignment")
    decided_on: date | None = None
    closed_on: date | None = None
    closing_method: str | None = None
    decision_doc_ref: str | None = None
    related_to_id: int | None = Field(default=None, foreign_key="cases.id")
    remanded: bool = False
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    version: int = 1


class ProceduralEvent(SQLModel, table=True):
    """served, hearing_held, hearing_adjourned, deliberated: milestones inside in_trial."""
    # a month's recorded work per person (staff assessment) reads only this index
    __table_args__ = (Index("ix_procedural_event_on_actor", "on", "actor_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str
    on: date
    note: str = ""
    actor_id: int | None = Field(default=None, foreign_key="users.id")


class ExcludedPeriod(SQLModel, table=True):
    """扣除审限: opened and closed by recorded events; an open one stops the clock; one open per (case, kind)."""
    __table_args__ = (unique_where("uq_excluded_period_open", '"end" IS NULL', "case_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str
    start: date
    end: date | None = None
    reason: str = ""


class ExtensionRequest(Versioned, SQLModel, table=True):
    """延长审限: a request decided by the approver the policy names; one waiting per case, and each
    ordinal (first, second extension …) approved once per case."""
    __table_args__ = (unique_where("uq_extension_waiting", "state = 'requested'", "case_id"),
                      unique_where("uq_extension_approved_ordinal", "state = 'approved'", "case_id", "ordinal"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    ordinal: int = 1
    length: str
    reason: str
    state: str = "requested"
    requested_by: int = Field(foreign_key="users.id")
    requested_on: date
    decide_by: date | None = None
    approver_role: str = "president"
    approver_court_id: int = Field(foreign_key="court.id")
    late: bool = False
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    decided_on: date | None = None
    override_reason: str | None = None
    decision_note: str = ""
    version: int = 1


class ReassignmentRequest(Versioned, SQLModel, table=True):
    """Changing the lead judge: reason 回避/调动/健康/廉政风险/其他, approved per policy; one waiting per case."""
    __table_args__ = (unique_where("uq_reassignment_waiting", "state = 'requested'", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    from_judge_id: int | None = Field(default=None, foreign_key="users.id")
    to_judge_id: int | None = Field(default=None, foreign_key="users.id")
    seat_user_id: int | None = Field(default=None, foreign_key="users.id",
                                     description="a panel member's seat changed (null: the lead judge's)")
    reason_code: str
    reason: str
    state: str = "requested"
    requested_by: int = Field(foreign_key="users.id")
    requested_on: date
    approver_role: str = "division_chief"
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    decided_on: date | None = None
    version: int = 1


class AssignmentDraw(SQLModel, table=True):
    """A stored draw: anyone can re-run it from candidates and seed and get the same judge."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    method: str = Field(description="random, designated, related, leader, reassignment, panel (a member) or "
                                    "assessor (人民陪审员: result_judge_id is the assessor drawn)")
    candidates: list = json_field(list)
    seed: str = ""
    result_judge_id: int = Field(foreign_key="users.id")
    reason: str = ""
    approved_by: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = aware(nullable=False, default_factory=utcnow)


class PartyNotice(SQLModel, table=True):
    """告知: what the parties are told of an extension, exclusion, reassignment or conversion, to be served."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str
    text: str
    at: datetime = aware(nullable=False, default_factory=utcnow)
