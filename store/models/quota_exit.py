"""员额退出 (SPEC §6): the proceeding, the judge's submissions, its windows and its formal documents."""
from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, unique_where, utcnow


class ExitProceeding(Versioned, SQLModel, table=True):
    """One quota exit of one judge: `path` is natural, application or mandatory (due process).

    `source` makes opening idempotent (e.g. the assessment ladder's "ladder:2026:judge:17");
    a judge has at most one proceeding running (not yet closed)."""
    __table_args__ = (Index("ix_exit_court_state", "court_id", "state"),
                      unique_where("uq_exit_running", "closed_on IS NULL", "judge_id"))

    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="users.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    higher_court_id: int | None = Field(default=None, foreign_key="court.id", description="reviews on application")
    path: str = Field(description="natural, application or mandatory")
    ground: str = Field(description="e.g. retirement, application, assessment_failure")
    grounds_text: str = ""
    source: str = Field(unique=True)
    state: str
    opened_by: int | None = Field(default=None, foreign_key="users.id")
    opened_on: date
    checks: dict = json_field()
    override_reason: str | None = None
    notified_on: date | None = None
    hearing_requested: bool = False
    hearing_held_on: date | None = None
    waived_on: date | None = None
    decision: str | None = Field(default=None, description="exit, no_exit or observation")
    decision_reason: str = ""
    observation_months: int | None = None
    decided_on: date | None = None
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    served_on: date | None = None
    reconsideration_outcome: str | None = None
    reconsideration_reason: str = ""
    reconsidered_on: date | None = None
    higher_review_outcome: str | None = None
    higher_review_reason: str = ""
    higher_reviewed_on: date | None = None
    left_quota_on: date | None = Field(default=None, description="the day the judge left the quota")
    restored_on: date | None = Field(default=None, description="back in the quota after a milder outcome")
    closed_on: date | None = None
    version: int = 1

    @property
    def standing_outcome(self) -> str | None:
        """The outcome in force: the higher court's, else the reconsideration's, else the decision."""
        return self.higher_review_outcome or self.reconsideration_outcome or self.decision


class ExitSubmission(SQLModel, table=True):
    """Something filed in the proceeding: a statement, an evidence file (checksum kept), a hearing
    request, a waiver, an application, hearing minutes. `attached_on` marks it in the committee's file."""

    id: int | None = Field(default=None, primary_key=True)
    proceeding_id: int = Field(foreign_key="exitproceeding.id", index=True)
    kind: str
    party: str = Field(description="judge, personnel or committee")
    by_user_id: int | None = Field(default=None, foreign_key="users.id")
    on: date
    at: datetime = aware(nullable=False, default_factory=utcnow)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    filename: str | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None
    storage_key: str | None = None
    late: bool = False
    attached_on: date | None = None


class ExitWindow(SQLModel, table=True):
    """A period of the due process: open until used, waived, met, or past its end (missed, recorded)."""
    __table_args__ = (UniqueConstraint("proceeding_id", "kind"),
                      Index("ix_exitwindow_state_closes", "state", "closes_on"))

    id: int | None = Field(default=None, primary_key=True)
    proceeding_id: int = Field(foreign_key="exitproceeding.id")
    kind: str
    party: str = Field(description="judge or committee: who must act inside it")
    opened_on: date
    closes_on: date
    remind_on: date
    length: int
    days: str = Field(description="calendar or working")
    state: str = Field(default="open", description="open, used, waived, closed, missed, met")
    ended_on: date | None = None
    escalated_on: date | None = None


class ExitDocument(SQLModel, table=True):
    """A formal document (notice of proceedings, decision, reconsideration decision), kept with its hash."""
    __table_args__ = (UniqueConstraint("proceeding_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    proceeding_id: int = Field(foreign_key="exitproceeding.id", index=True)
    kind: str
    title: str
    html: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str
    rendered_on: date
    rendered_by: int | None = Field(default=None, foreign_key="users.id")
    trace_seq: int | None = None
