"""Reads compiled once and run on the driver's cursor: the statements every API request makes.

A Session spends about 0.4 ms of Python on each statement it executes (the ORM's compile state, the
statement's cache key, the result's metadata), more than SQLite takes to answer a page of the case list,
and the case list's API is the busiest in the house (bench/RESULTS.md). A `Prepared` read is a Core
statement whose changing values are all `bindparam`s: it is compiled once per dialect and run on the DBAPI
cursor of a connection (a session's: `session.connection()`, inside its transaction; or one checked out for
a single read, which then runs in the driver's own transaction). Parameters and columns pass through
SQLAlchemy's own bind and result processors, so rows hold what the ORM would give (dates, booleans) on
SQLite and PostgreSQL alike, and a driver's error is raised as SQLAlchemy's.
"""
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.expression import Select


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in placeholder order for a positional paramstyle
    positional: bool
    defaults: dict[str, Any]  # the values the statement carries itself
    binds: tuple[tuple[str, Callable], ...]  # the parameters whose values the dialect converts
    results: tuple[tuple[int, Callable], ...]  # the columns whose values the dialect converts


class Prepared:
    """A read: `rows` gives dicts keyed by the selected columns' names, `scalar` the first column of the first row."""

    def __init__(self, statement: Select):
        self.statement = statement
        self.keys = tuple(column.key for column in statement.selected_columns)
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, connection: Connection, params: dict[str, Any]) -> list[dict[str, Any]]:
        keys = self.keys
        return [dict(zip(keys, row)) for row in self._run(connection, params)]

    def scalar(self, connection: Connection, params: dict[str, Any]) -> Any:
        rows = self._run(connection, params)
        return rows[0][0] if rows else None

    def _run(self, connection: Connection, params: dict[str, Any]) -> list:
        dialect = connection.dialect
        compiled = self._compiled.get((dialect.name, dialect.driver, dialect.server_version_info))
        if compiled is None:
            compiled = self._compile(dialect)
        values = {**compiled.defaults, **params}
        for name, process in compiled.binds:
            values[name] = process(values[name])
        arguments = (tuple(values[name] for name in compiled.names) if compiled.positional
                     else {name: values[name] for name in compiled.names})
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            rows = cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            _raise(connection, compiled.sql, arguments, error)
        finally:
            cursor.close()
        if compiled.results:
            rows = [_converted(row, compiled.results) for row in rows]
        return rows

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        binds = compiled.binds.items()
        processors = ((name, b.type.dialect_impl(dialect).bind_processor(dialect)) for name, b in binds)
        results = ((i, c.type.dialect_impl(dialect).result_processor(dialect, None))
                   for i, c in enumerate(self.statement.selected_columns))
        prepared = _Compiled(str(compiled), tuple(compiled.positiontup if dialect.positional else compiled.binds),
                             dialect.positional, {name: b.effective_value for name, b in binds if not b.required},
                             tuple((name, p) for name, p in processors if p is not None),
                             tuple((i, p) for i, p in results if p is not None))
        self._compiled[(dialect.name, dialect.driver, dialect.server_version_info)] = prepared
        return prepared


def _converted(row: tuple, results: tuple[tuple[int, Callable], ...]) -> list:
    row = list(row)
    for i, process in results:
        if row[i] is not None:
            row[i] = process(row[i])
    return row


def _raise(connection, sql: str, arguments, error: Exception):
    """As SQLAlchemy would: a lost connection is dropped from the pool, the error wrapped (DataError, …)."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
    if lost:
        connection.invalidate(error)
    raise exc.DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error, connection_invalidated=lost,
                                  dialect=dialect) from error
