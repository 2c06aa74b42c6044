"""A court's override of a default policy file; merged over its parent's on read."""
from datetime import datetime

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
