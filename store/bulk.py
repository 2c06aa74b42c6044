"""Dialect-aware bulk statements for the set-based sweeps and the outbox."""
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_ignoring_duplicates(session: Session, model, rows: list[dict], key: list[str]) -> int:
    """INSERT … ON CONFLICT (key) DO NOTHING; returns how many rows were new."""
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model.__table__).values(rows).on_conflict_do_nothing(index_elements=key)
    return session.exec(stmt).rowcount or 0


def insert_select_ignoring_duplicates(session: Session, model, columns: list[str], select_stmt, key: list[str]) -> int:
    """INSERT INTO model (columns) SELECT … ON CONFLICT (key) DO NOTHING, in one statement."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model.__table__).from_select(columns, select_stmt).on_conflict_do_nothing(index_elements=key)
    return session.exec(stmt).rowcount or 0
