"""信访: a petition letter, visit or online submission, from registration to its answer (SPEC §10)."""
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, utcnow

OPEN_PETITION_STATES = ("registered", "assigned")


class Petition(Versioned, SQLModel, table=True):
    """One petition. The answer's due, reminder and escalation days are fixed at registration
    from the court's policy, so the daily sweep is a range query over (state, date)."""
    __table_args__ = (
        Index("ix_petition_state_due", "state", "due_on"),
        Index("ix_petition_court_registered", "court_id", "registered_on"),
        Index("ix_petition_answered", "answered_by", "answered_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id", description="the division handling it")
    channel: str = Field(description="letter (来信), visit (来访) or online (网上信访)")
    petitioner: str = Field(description="信访人")
    petitioner_contact: str = ""
    matter: str = Field(description="judge_conduct, case_progress, judgment, enforcement or other")
    summary: str = Field(description="诉求与事由")
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    named_user_id: int | None = Field(default=None, foreign_key="users.id", description="被反映人 (a court user)")
    named_person: str = Field(default="", description="被反映人, as the petitioner names them")
    registered_on: date
    registered_by: int | None = Field(default=None, foreign_key="users.id")
    due_on: date
    remind_on: date
    escalate_on: date
    calendar_complete: bool = True
    handler_user_id: int | None = Field(default=None, foreign_key="users.id", description="承办人")
    assigned_on: date | None = None
    answer: str = ""
    delivery_method: str | None = None
    answered_on: date | None = None
    answered_by: int | None = Field(default=None, foreign_key="users.id")
    closed_on: date | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="petition.id")
    four_type_proposal_id: int | None = None
    state: str = "registered"
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    version: int = 1
