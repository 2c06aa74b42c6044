"""Migrations build exactly the models' schema; the trace chain catches any edit by hand."""
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from services.actor import Actor
from services.record import record
from store.db import Database
from store.schema import ensure_schema
from store.trace import verify

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def migrated_sqlite(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    ensure_schema(db)
    yield db
    db.dispose()


def test_migrations_create_exactly_the_tables_the_models_describe(migrated_sqlite):
    with migrated_sqlite.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_migrations_run_on_postgresql_and_match_the_models(postgres_url):
    import psycopg

    admin = psycopg.connect(postgres_url.replace("+psycopg", "").rsplit("/", 1)[0] + "/test", autocommit=True)
    admin.execute("DROP DATABASE IF EXISTS courtflow_migrate_test WITH (FORCE)")
    admin.execute("CREATE DATABASE courtflow_migrate_test")
    db = Database(postgres_url.rsplit("/", 1)[0] + "/courtflow_migrate_test")
    try:
        ensure_schema(db)
        with db.writer.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    finally:
        db.dispose()
        admin.execute("DROP DATABASE courtflow_migrate_test WITH (FORCE)")


def _entries(db, n=5):
    with db.write() as s:
        for i in range(n):
            record(s, Actor(i + 1, f"user{i}"), "cases.assign", at=NOW, subject_kind="cases", subject_id=i,
                   why=f"reason {i}", before={"state": "filed"}, after={"state": "assigned"})


def test_an_untouched_trace_verifies(any_db):
    _entries(any_db)
    with any_db.read() as s:
        verdict = verify(s)
    assert verdict.ok and verdict.checked == 5


@pytest.mark.parametrize("tamper, problem", [
    ("UPDATE traceentry SET why = 'changed' WHERE seq = 3", "entry 3 does not match its hash: edited"),
    ("DELETE FROM traceentry WHERE seq = 3", "entry 3 is missing"),
    ("UPDATE traceentry SET after = '{\"state\": \"closed\"}' WHERE seq = 2", "entry 2 does not match its hash"),
])
def test_any_change_by_hand_is_reported_at_the_first_broken_entry(any_db, tamper, problem):
    _entries(any_db)
    with any_db.write() as s:
        s.exec(text(tamper))
    with any_db.read() as s:
        verdict = verify(s)
    assert not verdict.ok and problem in verdict.problem


def test_reordering_entries_is_caught(any_db):
    _entries(any_db)
    with any_db.write() as s:
        s.exec(text("UPDATE traceentry SET seq = 100 WHERE seq = 2"))
        s.exec(text("UPDATE traceentry SET seq = 2 WHERE seq = 3"))
        s.exec(text("UPDATE traceentry SET seq = 3 WHERE seq = 100"))
    with any_db.read() as s:
        verdict = verify(s)
    assert not verdict.ok and verdict.first_bad_seq == 2


def test_courtflow_trace_verify_exits_nonzero_after_tampering(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database(url)
    ensure_schema(db)
    _entries(db, 3)
    env = {"COURTFLOW_DATABASE_URL": url, "PATH": "", "COURTFLOW_ENVIRONMENT": "test"}
    run = lambda: subprocess.run([sys.executable, "-m", "cli.main", "trace", "verify"], capture_output=True,  # noqa: E731
                                 text=True, env=env, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    ok = run()
    assert ok.returncode == 0 and "3 entries checked" in ok.stdout
    with db.write() as s:
        s.exec(text("UPDATE traceentry SET actor = 'someone-else' WHERE seq = 2"))
    broken = run()
    assert broken.returncode == 1 and "entry 2" in broken.stdout
