"""全程留痕: the append-only, hash-chained record of every action, and its signed daily checkpoints.

Both tables refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) by trigger, so no code path and no
hand-typed statement of an ordinary session changes them; the keyed chain and the checkpoints make what a
superuser could still do (drop the trigger, rewrite, truncate) visible to `courtflow trace verify`.
"""
from datetime import date, datetime

from sqlalchemy import DDL, event
from sqlmodel import Field, SQLModel

from store.models.base import aware, json_field


class TraceEntry(SQLModel, table=True):
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = aware(nullable=False, index=True)
    actor: str
    actor_id: int | None = None
    action: str = Field(index=True)
    subject_kind: str = ""
    subject_id: int | None = None
    court_id: int | None = None
    why: str = ""
    before: dict = json_field(dict)
    after: dict = json_field(dict)
    prev_hash: str
    hash: str = Field(unique=True)


class TraceCheckpoint(SQLModel, table=True):
    """The chain's head on a court day, signed with the trace key; the trial office is sent the same hash."""
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    seq: int
    head_hash: str
    entry_count: int
    at: datetime = aware(nullable=False)
    signature: str


APPEND_ONLY_TABLES = ("traceentry", "tracecheckpoint", "interference_record")
"""Every table that refuses UPDATE and DELETE (the interference records' triggers are made in store/models/integrity.py)."""
PG_REFUSAL_FUNCTION = """
CREATE OR REPLACE FUNCTION courtflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME || ' refused, the table is append-only';
END
$$"""


def append_only_ddl(table: str, dialect: str) -> list[str]:
    """The statements that make `table` refuse UPDATE and DELETE (and TRUNCATE) on `dialect`."""
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{op} on {table} refused, the table is append-only'); END"
                for op in ("UPDATE", "DELETE")]
    return [PG_REFUSAL_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION courtflow_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION courtflow_refuse_change()"]


for _model in (TraceEntry, TraceCheckpoint):
    for _dialect in ("sqlite", "postgresql"):
        for _statement in append_only_ddl(_model.__tablename__, _dialect):
            event.listen(_model.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))


TRACE_LOCK_KEY = 7260001
"""The advisory lock that serializes appends to the chain on PostgreSQL (SQLite's writes are serial already)."""
PG_LOCKED_TAIL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION courtflow_locked_trace_tail() RETURNS TABLE (seq integer, hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({TRACE_LOCK_KEY});
    RETURN QUERY SELECT t.seq, t.hash::varchar FROM traceentry t ORDER BY t.seq DESC LIMIT 1;
END
$$"""
"""The chain's lock and then its tail, in one round trip. A volatile PL/pgSQL function reads with a snapshot
taken after the lock is held, so it sees the entry of the append that held the lock last; a single SELECT that
locks would read with the snapshot of its own start, older than the lock, and could fork the chain."""

event.listen(TraceEntry.__table__, "after_create", DDL(PG_LOCKED_TAIL_FUNCTION).execute_if(dialect="postgresql"))
