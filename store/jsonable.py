"""Plain JSON values for trace snapshots and notice contexts, stable across databases."""
from datetime import date, datetime, timezone
from enum import Enum


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value):
    if type(value) in _PLAIN:  # most of a snapshot: answered before the isinstance checks (a str Enum is not plain)
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def as_utc(value: datetime) -> datetime:
    """The same instant, aware, in UTC; a naive value (SQLite hands them back) is taken as UTC.

    SQLite keeps a timestamp's wall time and drops its zone, so whatever is written must be UTC."""
    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc)


def utc_text(value: datetime) -> str:
    """ISO text in UTC; a naive value is taken as UTC."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_snapshot(row, fields=None) -> dict:
    """The row's columns (or the named ones) as JSON values, for before/after in the trace."""
    names = fields or [c.name for c in row.__table__.columns]
    return {n: jsonable(getattr(row, n)) for n in names}
