"""A court's (or one of its divisions') override of a default policy file; merged over its parent's on read.

A row with `division_id` is a division's override: it merges over its court's, for the policies whose schema
allows division scope (`division_scope`). One row in force, and one numbered version sequence, per place."""
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, unique_where, utcnow


class PolicyOverride(Versioned, SQLModel, table=True):
    __table_args__ = (unique_where("uq_policy_override_court", "division_id IS NULL", "court_id", "name"),
                      unique_where("uq_policy_override_division", "division_id IS NOT NULL", "division_id", "name"))
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id", description="a division's override")
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
    __table_args__ = (unique_where("uq_policy_version_court", "division_id IS NULL", "court_id", "name", "version"),
                      unique_where("uq_policy_version_division", "division_id IS NOT NULL", "division_id", "name",
                                   "version"))
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id", description="a division's override")
    name: str
    version: int
    data: dict = json_field(dict)
    locked_keys: list = json_field(list)
    effective_from: date
    why: str
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    applied_at: datetime | None = aware()
