"""Shared column helpers: aware timestamps, JSON columns, the compare-and-set version, partial unique indexes."""
from datetime import datetime, timezone

from sqlalchemy import JSON, Column, DateTime, Index, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def json_field(default_factory=dict):
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


def aware(nullable: bool = True, index: bool = False, default_factory=None):
    kwargs = {"default_factory": default_factory} if default_factory else {"default": None}
    return Field(**kwargs, sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index))


class Versioned:
    """Every UPDATE checks the version it read: a lost race raises StaleDataError (→ 409)."""

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


def unique_where(name: str, where: str, *columns: str) -> Index:
    """At most one row per `columns` among the rows matching `where` (e.g. one request waiting per
    case): the database keeps the rule when two commands race past the service's check. SQLite and
    PostgreSQL both honour a partial unique index; services/invariants.py turns a violation into a refusal."""
    return Index(name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where))


def in_states(states: tuple[str, ...]) -> str:
    """The SQL condition `state IN (…)`, for partial indexes (queries repeat it word for word)."""
    return "state IN ({})".format(", ".join(f"'{s}'" for s in states))
