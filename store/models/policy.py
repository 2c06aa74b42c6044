"""A court's (or one of its divisions') override of a default policy file; merged over its parent's on read.

A row with `division_id` is a division's override: it merges over its court's, for the policies whose schema
allows division scope (`division_scope`). One row in force, and one numbered version sequence, per place."""
from datetime import date, datetime

from sqlalchemy import DDL, event
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


class PolicyStamp(SQLModel, table=True):
    """One row whose `stamp` changes, by trigger, in the transaction of every write to PolicyOverride.

    A process caches the policy in force per (stamp, court path, division, policy name): a save in any
    process, on any connection, by the service or by hand, gives the next read a new stamp, so a stale
    answer is never served. The stamp is random, not a counter, so two databases (a copy, a test's fresh
    one) never share a stamp unless their overrides are the same. A missing row (a wipe that switched
    triggers off) means: read the overrides, cache nothing."""

    __tablename__ = "policy_stamp"
    id: int = Field(default=1, primary_key=True)
    stamp: str


RANDOM_STAMP = {"sqlite": "lower(hex(randomblob(16)))", "postgresql": "gen_random_uuid()::text"}
"""A fresh random stamp, in each dialect's SQL."""


def restamp_sql(dialect: str) -> str:
    return (f"INSERT INTO policy_stamp (id, stamp) VALUES (1, {RANDOM_STAMP[dialect]}) "
            f"ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp")


def restamp_ddl(dialect: str) -> list[str]:
    """The triggers that give policy_stamp a new stamp on every INSERT, UPDATE, DELETE (and TRUNCATE) of
    policyoverride."""
    if dialect == "sqlite":
        return [f"CREATE TRIGGER policyoverride_restamp_{op.lower()} AFTER {op} ON policyoverride "
                f"BEGIN {restamp_sql(dialect)}; END" for op in ("INSERT", "UPDATE", "DELETE")]
    return ["CREATE OR REPLACE FUNCTION courtflow_restamp_policies() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {restamp_sql(dialect)}; RETURN NULL; END $$",
            "CREATE TRIGGER policyoverride_restamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policyoverride "
            "FOR EACH STATEMENT EXECUTE FUNCTION courtflow_restamp_policies()"]


for _dialect in ("sqlite", "postgresql"):
    event.listen(PolicyStamp.__table__, "after_create", DDL(restamp_sql(_dialect)).execute_if(dialect=_dialect))
    for _statement in restamp_ddl(_dialect):
        event.listen(PolicyOverride.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
