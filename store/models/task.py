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
