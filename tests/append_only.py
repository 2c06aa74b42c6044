"""Switching the trace's append-only triggers off, as a database superuser can (and as the fixtures' wipe must).

The product has no such switch: these helpers exist only in tests, to play the attacker who drops the
trigger before rewriting the trace, and to empty the tables between tests.
"""
from sqlalchemy.engine import Connection

from store.models.trace import APPEND_ONLY_TABLES, append_only_ddl


def switch_off(conn: Connection) -> None:
    """For the rest of this transaction (PostgreSQL) or until `switch_on` (SQLite): no refusal."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        return
    for table in APPEND_ONLY_TABLES:
        for op in ("update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


def switch_on(conn: Connection) -> None:
    """SQLite: create the triggers again (PostgreSQL's switch ends with the transaction)."""
    if conn.dialect.name == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for statement in append_only_ddl(table, "sqlite"):
                conn.exec_driver_sql(statement)
