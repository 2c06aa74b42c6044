"""The court tree, divisions and teams, users, their role grants and notice channels."""
from datetime import date

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from policies.roles import ROLES  # noqa: F401  (the role names live with the policies that check them)
from store.models.base import Versioned, unique_where

COURT_LEVELS = ("high", "intermediate", "basic")


class Court(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, description="法院代字, e.g. 辽0102")
    name: str
    level: str
    parent_id: int | None = Field(default=None, foreign_key="court.id", index=True)
    path: str = Field(default="/", index=True, description="materialized path '/1/3/7/' for subtree queries")


class Division(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("court_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    name: str
    category: str = Field(description="civil, criminal, admin, enforcement, filing, …")


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="division.id", index=True)
    name: str
    fast_track: bool = False


class User(Versioned, SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)
    display_name: str
    password_hash: str = ""
    staff_no: str | None = Field(default=None, index=True, unique=True, description="工号")
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    title: str = ""
    is_quota_judge: bool = Field(default=False, index=True)
    quota_since: date | None = None
    language: str = "zh"
    active: bool = True
    must_change_password: bool = Field(default=False, description="set by an administrator's reset: the next login must choose a new one")
    version: int = 1


class RoleGrant(SQLModel, table=True):
    """A role held in one court (whole court when division_id is null), optionally its subtree."""

    __table_args__ = (UniqueConstraint("user_id", "role", "court_id", "division_id"),
                      # the monitor joins a court's role holders to its cases: without this SQLite walks
                      # every division chief's whole court (5 s on the province) instead of the overdue cases
                      Index("ix_rolegrant_court_role", "court_id", "role"))
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    role: str = Field(index=True)
    court_id: int = Field(foreign_key="court.id", index=True)
    division_id: int | None = Field(default=None, foreign_key="division.id")
    include_subtree: bool = False
    starts_on: date | None = Field(default=None, description="first court day the grant counts (None: since ever)")
    ends_on: date | None = Field(default=None, description="last court day the grant counts (None: open-ended)")


class Channel(SQLModel, table=True):
    """Where a user's notices go: kind is email, dingtalk, wecom, webhook or apprise; target an Apprise URL."""

    __table_args__ = (unique_where("uq_channel_active_target", "active = true", "user_id", "kind", "target"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str
    target: str
    active: bool = True
    label: str = Field(default="", description="the user's own name for it, e.g. 本庭钉钉群")
