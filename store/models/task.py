"""The inbox: pending human steps, each with an assignee (a user, or a role in a court/division)."""
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, utcnow


class Task(Versioned, SQLModel, table=True):
    __table_args__ = (
        Index("ix_task_open_due", "state", "due_on"),
        Index("ix_task_assignee", "assignee_user_id", "state"),
        Index("ix_task_role", "assignee_role", "court_id", "state"),
        Index("ix_task_subject", "subject_kind", "subject_id"),
        Index("ix_task_chase", "state", "chase_stage", "due_on"),
        Index("ix_task_escalates", "state", "escalates_task_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    title: str
    subject_kind: str
    subject_id: int
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    assignee_user_id: int | None = Field(default=None, foreign_key="users.id")
    assignee_role: str | None = None
    due_on: date | None = None
    state: str = "open"
    dedupe_key: str | None = Field(default=None, unique=True)
    escalation_level: int = 0
    context: dict = json_field(dict)
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    done_at: datetime | None = aware()
    done_by: int | None = Field(default=None, foreign_key="users.id")
    version: int = 1
    priority: str = Field(default="normal", description="normal or urgent")
    chase_stage: int = Field(default=0, description="0 not chased yet, 1 reminded, 2 overdue noticed, 3 escalated once, "
                                                       "9 nothing more to chase (services/kernel/chase.py)")
    delegated_from_user_id: int | None = Field(default=None, foreign_key="users.id",
                                               description="whose task it is while a delegation holds it")
    escalates_task_id: int | None = Field(default=None, foreign_key="task.id",
                                          description="the overdue task this supervision task chases")


class Delegation(SQLModel, table=True):
    """A person hands their inbox to a colleague with the same role in the same court, from one day to another
    (a judge on leave). The daily monitor moves the tasks when it starts and hands them back when it ends."""
    __table_args__ = (Index("ix_delegation_user_state", "user_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    delegate_user_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id")
    role: str
    starts_on: date
    ends_on: date
    reason: str
    state: str = Field(default="scheduled", description="scheduled, active, ended")
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    ended_on: date | None = Field(default=None, description="the day it ended: after its last day, or earlier")
    ended_by: int | None = Field(default=None, foreign_key="users.id", description="who ended it early")


class SupervisionLapse(SQLModel, table=True):
    """怠于履行: a leader left a supervision duty undone past its day; recorded against them once per duty.

    `task_id` is the supervision task they left overdue (None for a duty that is not a task), `chased_task_id`
    the task it was escalated about. The same record is filed in the leader's yearly dossier."""
    __tablename__ = "supervision_lapse"
    __table_args__ = (Index("ix_lapse_court_recorded", "court_id", "recorded_on"),
                      Index("ix_lapse_user", "user_id", "recorded_on"))

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    kind: str = Field(description="ignored_supervision (a supervision task left overdue), or another lifecycle's")
    title: str
    task_id: int | None = Field(default=None, foreign_key="task.id")
    chased_task_id: int | None = Field(default=None, foreign_key="task.id")
    due_on: date | None = None
    recorded_on: date
    detail: dict = json_field(dict)
    dedupe_key: str = Field(unique=True)
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
