"""Dialect-aware bulk statements for the set-based sweeps and the outbox."""
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_ignoring_duplicates(session: Session, model, rows: list[dict], key: list[str]) -> int:
    """INSERT … ON CONFLICT (key) DO NOTHING; returns how many rows were new."""
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    stmt = dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=key).returning(table.c[key[0]])
    return len(session.exec(stmt).all())


def insert_select_ignoring_duplicates(session: Session, model, columns: list[str], select_stmt, key: list[str]) -> int:
    """INSERT INTO model (columns) SELECT … ON CONFLICT (key) DO NOTHING, in one statement."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    stmt = (dialect.insert(table).from_select(columns, select_stmt).on_conflict_do_nothing(index_elements=key)
            .returning(table.c[key[0]]))
    return len(session.exec(stmt).all())


def json_object(session: Session, **values):
    """A JSON object built in SQL (json_object on SQLite, json_build_object on PostgreSQL)."""
    from sqlalchemy import func

    args = [x for key, value in values.items() for x in (key, value)]
    if session.get_bind().dialect.name == "postgresql":
        return func.json_build_object(*args)
    return func.json_object(*args)


def json_array(session: Session, *values):
    """A JSON array built in SQL (json_array on SQLite, json_build_array on PostgreSQL)."""
    from sqlalchemy import func

    if session.get_bind().dialect.name == "postgresql":
        return func.json_build_array(*values)
    return func.json_array(*values)


def days_until(session: Session, column, day):
    """Whole days from `day` to the date column (negative when the column is earlier)."""
    from sqlalchemy import Integer, cast, func, literal

    if session.get_bind().dialect.name == "postgresql":
        return column - literal(day)
    return cast(func.julianday(column) - func.julianday(literal(day.isoformat())), Integer)


def text_of(column):
    """A column as text, for building keys and titles in SQL."""
    from sqlalchemy import String, cast

    return cast(column, String)


def insert_many_ignoring_duplicates(session: Session, model, rows: list[dict], key: list[str]) -> int:
    """Like insert_ignoring_duplicates for thousands of rows: one statement compiled once and run
    as an executemany (batched by SQLAlchemy's insertmanyvalues); returns how many rows were new."""
    return len(insert_many_returning_new(session, model, rows, key[0], key))


def insert_many_returning_new(session: Session, model, rows: list[dict], column: str,
                              key: list[str] | None = None) -> list:
    """The `column` values of the rows that were new (the others hit the unique `key`, default [column])."""
    if not rows:
        return []
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    stmt = dialect.insert(table).on_conflict_do_nothing(index_elements=key or [column]).returning(table.c[column])
    return [row[0] for row in session.execute(stmt, rows).all()]
