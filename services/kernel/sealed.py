"""Rows sealed by the trace: each was written once, with a trace entry holding it as written.

The chain proves the entries unedited; holding each sealed row against its entry proves the row
unedited too, so a record changed in the database past its append-only trigger (a superuser can drop
one) is caught by `courtflow trace verify`, naming the row."""
from sqlmodel import Session, select

from services.kernel.registry import Sealed, current
from store.jsonable import row_snapshot
from store.models import TraceEntry


def problems(session: Session, chunk: int = 5000) -> list[str]:
    """Every sealed row that differs from, or has no, trace entry: one line each, first ones first."""
    found: list[str] = []
    for sealed in current().sealed:
        found += _check(session, sealed, chunk)
    return found


def _check(session: Session, sealed: Sealed, chunk: int) -> list[str]:
    found, last = [], 0
    while rows := session.exec(select(sealed.model).where(sealed.model.id > last)
                               .order_by(sealed.model.id).limit(chunk)).all():
        entries = _entries(session, sealed, rows[0].id, rows[-1].id)
        for row in rows:
            entry = entries.get(row.id)
            if entry is None:
                found.append(f"{sealed.kind} {row.id} has no trace entry: written past the service")
            elif entry.after != row_snapshot(row):
                found.append(f"{sealed.kind} {row.id} differs from trace entry {entry.seq}: edited")
        last = rows[-1].id
    return found


def _entries(session: Session, sealed: Sealed, first: int, last: int) -> dict[int, TraceEntry]:
    rows = session.exec(select(TraceEntry).where(TraceEntry.action == sealed.action,
                                                 TraceEntry.subject_kind == sealed.kind,
                                                 TraceEntry.subject_id.between(first, last))).all()
    return {entry.subject_id: entry for entry in rows}
