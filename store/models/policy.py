"""A court's override of a default policy file; merged over its parent's on read."""
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, utcnow


class PolicyOverride(Versioned, SQLModel, table=True):
    __table_args__ = (UniqueConstraint("court_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id")
    name: str = Field(description="the policy file's name, e.g. time_limits")
    data: dict = json_field(dict)
    updated_by: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = aware(nullable=False, default_factory=utcnow)
    version: int = 1


class PolicyOverrideVersion(SQLModel, table=True):
    """Every saved version of a court's override, kept: what it says, from when, who saved it and why.

    The version in force on a day is the latest whose `effective_from` is on or before it; the
    daily monitor copies it into PolicyOverride (the row every read merges) on that day.
    `locked_keys` are dotted keys this court's lower courts may not override."""

    __tablename__ = "policy_override_version"
    __table_args__ = (UniqueConstraint("court_id", "name", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    name: str
    version: int
    data: dict = json_field(dict)
    locked_keys: list = json_field(list)
    effective_from: date
    why: str
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    applied_at: datetime | None = aware()
