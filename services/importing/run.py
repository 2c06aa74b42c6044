"""The shape every import shares: read, validate the whole file, then write all of it or nothing."""
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import Table as SqlTable, insert
from sqlmodel import Session

from services.kernel.actor import Actor
from services.importing.reading import MissingColumns, Row, read_table
from services.importing.report import ImportReport
from services.kernel.record import record
from store.models import utcnow

CHUNK = 5000


@dataclass(frozen=True)
class Importer:
    """kind names the trace action (import.<kind>); validate returns a plan that write stores."""

    kind: str
    required: tuple[str, ...]
    validate: Callable[[Session, Iterator[Row], ImportReport], Any]
    write: Callable[[Session, Any, ImportReport, datetime], None]


def run_import(db, importer: Importer, path: Path | str, *, dry_run: bool = False, update: bool = False,
               actor: Actor | None = None, at: datetime | None = None) -> ImportReport:
    """Validate every row; if none is bad (and not a dry run) write all in one transaction.

    With `update`, a row whose 工号 or 案号 is already stored changes that row (each changed field is in the
    report, a dry run included: what would change) instead of being refused as a clash.

    Validation runs inside the write transaction, so on SQLite (BEGIN IMMEDIATE) no
    other writer can add a clashing case number between the check and the insert.
    Raises UnreadableFile when the file cannot be read at all.
    """
    report = ImportReport(importer.kind, Path(path).name, dry_run=dry_run, update=update)
    try:
        table = read_table(path, importer.required)
    except MissingColumns as exc:
        for column in exc.columns:
            report.add(1, column, "", "缺少必需列 required column is missing from the header row")
        return report
    report.sha256, at = table.sha256, at or utcnow()
    with (db.read() if dry_run else db.write()) as session:
        plan = importer.validate(session, table.rows, report)
        if report.ok and not dry_run:
            importer.write(session, plan, report, at)
            record(session, actor or Actor.system(), f"import.{importer.kind}", at=at,
                   why=f"imported from {report.file}", after=report.summary())
        elif not dry_run:  # refused: nothing written but the refusal, with the rows and what each was refused for
            record(session, actor or Actor.system(), f"refused:import.{importer.kind}", at=at,
                   why=f"refused import from {report.file}", after={**report.summary(), "errors": [
                       {"line": e.line, "column": e.column, "value": e.value, "message": e.message}
                       for e in report.errors[:500]]})
    return report


def bulk_insert(session: Session, table: SqlTable, rows: list[dict]) -> None:
    """Executemany in chunks on the session's connection: no ORM objects, one transaction."""
    connection = session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), rows[start:start + CHUNK])


def bulk_insert_ids(session: Session, table: SqlTable, rows: list[dict]) -> list[int]:
    """Like bulk_insert, returning the new ids in the order of `rows`."""
    connection, ids = session.connection(), []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), CHUNK):
        ids += connection.execute(statement, rows[start:start + CHUNK]).scalars().all()
    return ids


def chunks(items: list, size: int = 1000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
