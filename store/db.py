"""Engines and sessions.

SQLite gets WAL, a busy timeout and `BEGIN IMMEDIATE` for write sessions: a deferred
transaction that reads first and writes later can fail with SQLITE_BUSY_SNAPSHOT under
concurrency, which no busy timeout cures. Read sessions stay deferred so pages never
queue behind writers. On PostgreSQL both are ordinary READ COMMITTED sessions; races
are caught by the version column (compare-and-set), the trace's advisory lock, the unique
partial indexes of the "at most one … per …" rules, and `lock_row` where a check reads a
count that moves (the case's extensions, a judge's running quota exit).
"""
import os
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from store.config import get_settings


ANALYSIS_LIMIT = 1000  # rows sampled per index when the daily refresh re-analyzes a table
MMAP_MIN = 256 << 20
MMAP_MAX = 0x7FFF0000  # SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE) in the builds Python ships: a larger ask is cut to it


def _mmap_size(cursor) -> int:
    """Twice the database file (at most SQLite's ceiling), so a growing database stays mapped: past the map
    SQLite reads page by page, and the monitor over 2.4M cases ran 2.8× slower for 2× the open cases."""
    path = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"), "")
    size = os.path.getsize(path) if path and os.path.exists(path) else 0
    return min(max(2 * size, MMAP_MIN), MMAP_MAX)


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA mmap_size={_mmap_size(cur)}")
    cur.execute("PRAGMA cache_size=-32768")
    cur.close()


def make_engine(url: str, *, immediate: bool = False) -> Engine:
    """Create an engine; for SQLite, `immediate` makes every transaction BEGIN IMMEDIATE."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)

    @event.listens_for(engine, "connect")
    def _no_pysqlite_begin(dbapi_conn, _record):
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """A pair of engines on one database: one for commands (writes), one for reads."""

    def __init__(self, url: str):
        self.url = url
        self.writer = make_engine(url, immediate=True)
        self.reader = self.writer if not self.is_sqlite else make_engine(url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One command, one transaction: commits on success, rolls back on any error."""
        with Session(self.writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.reader, expire_on_commit=False) as session:
            yield session

    def refresh_statistics(self, *, bulk_loaded: bool = False) -> None:
        """Keep the planner's statistics fresh, so it knows how selective each index is.

        SQLite has no autovacuum: without statistics it picks the (state, …) indexes over the
        partial indexes on pending cases and sorts a quarter of a million rows per page. After a
        bulk load (the seeds) every table is analyzed in full (about a second on the province).
        Daily, `PRAGMA optimize` re-analyzes only the tables that changed enough to matter, each
        from a bounded sample (analysis_limit): milliseconds, and the same plans.
        PostgreSQL's autovacuum analyzes by itself; after a bulk load it also needs VACUUM, which
        marks the pages all-visible: until autovacuum gets there, each capped count of the case
        list visits the heap (13 ms, not 0.5)."""
        if not self.is_sqlite and not bulk_loaded:
            return
        with self.writer.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")  # VACUUM refuses a transaction
                conn.exec_driver_sql("VACUUM ANALYZE")
            elif bulk_loaded:
                conn.exec_driver_sql("ANALYZE")
            else:
                conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                conn.exec_driver_sql("PRAGMA optimize")
            conn.commit()

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


@lru_cache
def get_database() -> Database:
    return Database(get_settings().db_url)


def lock_row(session: Session, row):
    """Re-read `row` and hold it until the transaction ends, so a check on what hangs from it (one
    request waiting per case, the extension count) cannot race: SELECT … FOR UPDATE on PostgreSQL,
    where a second command waits here and then sees the first one's rows; SQLite renders no FOR
    UPDATE, and needs none, since a write session begins IMMEDIATE and holds the database."""
    if row in session.dirty:
        session.flush()  # the row's own pending changes are written, not lost to the re-read
    session.refresh(row, with_for_update=True)
    return row
