"""Which unique rule a refused write broke, named as the models name it, on SQLite and PostgreSQL.

PostgreSQL names the index or constraint (and the key's columns); SQLite names only the table
and columns ("UNIQUE constraint failed: extensionrequest.case_id"). Both are resolved against the
models' metadata, so a service can map the rule to the same reason its own check gives.
"""
import re
from functools import lru_cache

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

UNIQUE_VIOLATION = "23505"
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_PG_KEY = re.compile(r"Key \((.+?)\)=")


def _name(table: str, columns: list[str], name) -> str:
    """A constraint's own name, or `table(col, …)` for the unnamed ones (`unique=True` fields)."""
    return name if isinstance(name, str) else f"{table}({', '.join(columns)})"


@lru_cache
def _unique_keys() -> dict[tuple[str, frozenset], str]:
    keys = {}
    for table in SQLModel.metadata.tables.values():
        uniques = [i for i in table.indexes if isinstance(i, Index) and i.unique]
        uniques += [c for c in table.constraints if isinstance(c, UniqueConstraint)]
        for rule in uniques:
            columns = [c.name for c in rule.columns]
            keys[(table.name, frozenset(columns))] = _name(table.name, columns, rule.name)
    return keys


def _postgres_key(orig) -> tuple[str, list[str]] | str | None:
    if getattr(orig, "sqlstate", None) != UNIQUE_VIOLATION:
        return None
    name = orig.diag.constraint_name
    if name in set(_unique_keys().values()):
        return name
    match = _PG_KEY.search(orig.diag.message_detail or "")
    columns = [c.strip().strip('"') for c in match.group(1).split(",")] if match else []
    return orig.diag.table_name, columns


def _sqlite_key(orig) -> tuple[str, list[str]] | None:
    match = _SQLITE_UNIQUE.search(str(orig))
    if not match:
        return None
    pairs = [p.strip().split(".", 1) for p in match.group(1).split(",")]
    return pairs[0][0], [column for _, column in pairs]


def violated_unique(exc: IntegrityError) -> str | None:
    """The name of the unique index or constraint the write hit (e.g. "uq_extension_waiting"),
    or None when the error is not a unique violation of a known rule."""
    key = _postgres_key(exc.orig) if hasattr(exc.orig, "diag") else _sqlite_key(exc.orig)
    if key is None or isinstance(key, str):
        return key
    table, columns = key
    return _unique_keys().get((table, frozenset(columns)))
