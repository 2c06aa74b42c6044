"""Shared column helpers: aware timestamps, JSON columns and the compare-and-set version."""
from datetime import datetime, timezone

from sqlalchemy import JSON, Column, DateTime
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
