"""Migrations build exactly the models' schema; the trace chain catches any edit by hand."""
import hashlib
import json
import subprocess
import sys
from datetime import date, datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from services.kernel.actor import Actor
from services.kernel.record import record
from store.config import get_settings
from store.db import Database
from store import trace
from store.models import TraceCheckpoint, TraceEntry
from store.schema import ensure_schema
from store.trace import verify
from tests import append_only

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
DAY = date(2025, 3, 3)


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
        _checkpointed(db, 1)
        for statement in ("TRUNCATE traceentry", "DELETE FROM traceentry", "UPDATE tracecheckpoint SET seq = 0"):
            with pytest.raises(DBAPIError, match="refused, the table is append-only"):
                with db.write() as s:
                    s.exec(text(statement))
    finally:
        db.dispose()
        admin.execute("DROP DATABASE courtflow_migrate_test WITH (FORCE)")


def _entries(db, n=5, day=NOW):
    with db.write() as s:
        for i in range(n):
            record(s, Actor(i + 1, f"user{i}"), "cases.assign", at=day, subject_kind="cases", subject_id=i,
                   why=f"reason {i}", before={"state": "filed"}, after={"state": "assigned"})


def _tamper(db, *statements):
    """What a database superuser can do: switch the append-only triggers off, then rewrite the trace."""
    with db.writer.begin() as conn:
        append_only.switch_off(conn)
        for statement in statements:
            conn.exec_driver_sql(statement)


def _verdict(db):
    with db.read() as s:
        return verify(s)


def _checkpointed(db, n=5):
    """n entries, signed by the daily checkpoint of 2025-03-03."""
    _entries(db, n)
    with db.write() as s:
        assert trace.checkpoint(s, DAY, NOW).seq == n


def _plain_sha256(seq, prev_hash, why):
    """An entry hashed the way the trace used to be: SHA-256 with no key, computed correctly."""
    body = [seq, "2025-03-03T02:00:00Z", "forger", None, "cases.close", "cases", 1, None, why, {}, {}, prev_hash]
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _forged_row(seq, prev_hash, why="forged"):
    return ("INSERT INTO traceentry (seq, at, actor, action, subject_kind, subject_id, why, before, after, prev_hash, "
            f"hash) VALUES ({seq}, '2025-03-03 02:00:00+00:00', 'forger', 'cases.close', 'cases', 1, '{why}', '{{}}', "
            f"'{{}}', '{prev_hash}', '{_plain_sha256(seq, prev_hash, why)}')")


def _hash_of(db, seq):
    with db.read() as s:
        return s.get(TraceEntry, seq).hash


def test_an_untouched_trace_verifies(any_db):
    _entries(any_db)
    with any_db.read() as s:
        verdict = verify(s)
    assert verdict.ok and verdict.checked == 5


def test_entries_written_with_a_local_time_still_verify(any_db):
    """SQLite keeps a timestamp's wall time and drops its zone: an entry stamped 09:00+08:00 must be stored as
    01:00 UTC, or it reads back as 09:00 and no longer matches its hash (the province seed's entry did)."""
    from datetime import timedelta

    shanghai = timezone(timedelta(hours=8))
    _entries(any_db, n=2, day=datetime(2025, 3, 3, 9, 0, tzinfo=shanghai))
    with any_db.write() as s:
        assert trace.checkpoint(s, date(2025, 3, 3), datetime(2025, 3, 3, 9, 5, tzinfo=shanghai)) is not None
    with any_db.read() as s:
        verdict = verify(s)
    assert verdict.ok and verdict.checked == 2, verdict.problem


@pytest.mark.parametrize("statement", [
    "UPDATE traceentry SET why = 'changed' WHERE seq = 3",
    "DELETE FROM traceentry WHERE seq = 5",
    "DELETE FROM traceentry",
    "UPDATE tracecheckpoint SET seq = 1",
    "DELETE FROM tracecheckpoint",
])
def test_the_database_refuses_to_change_or_remove_trace_rows(any_db, statement):
    _checkpointed(any_db)
    with pytest.raises(DBAPIError, match="refused, the table is append-only"):
        with any_db.write() as s:
            s.exec(text(statement))
    verdict = _verdict(any_db)
    assert verdict.ok and verdict.checked == 5 and verdict.checkpoints == 1


@pytest.mark.parametrize("table", ["traceentry", "tracecheckpoint"])
def test_postgresql_refuses_to_truncate_the_trace(postgres_db, table):
    _checkpointed(postgres_db)
    with pytest.raises(DBAPIError, match=f"TRUNCATE on {table} refused"):
        with postgres_db.write() as s:
            s.exec(text(f"TRUNCATE {table} CASCADE"))
    assert _verdict(postgres_db).checked == 5


@pytest.mark.parametrize("tamper, problem", [
    ("UPDATE traceentry SET why = 'changed' WHERE seq = 3", "entry 3 does not match its hash: edited"),
    ("DELETE FROM traceentry WHERE seq = 3", "entry 3 is missing"),
    ("UPDATE traceentry SET after = '{\"state\": \"closed\"}' WHERE seq = 2", "entry 2 does not match its hash"),
])
def test_any_change_by_hand_is_reported_at_the_first_broken_entry(any_db, tamper, problem):
    _entries(any_db)
    _tamper(any_db, tamper)
    verdict = _verdict(any_db)
    assert not verdict.ok and problem in verdict.problem


def test_reordering_entries_is_caught(any_db):
    _entries(any_db)
    _tamper(any_db, "UPDATE traceentry SET seq = 100 WHERE seq = 2", "UPDATE traceentry SET seq = 2 WHERE seq = 3",
            "UPDATE traceentry SET seq = 3 WHERE seq = 100")
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 2


def test_removing_the_last_entry_is_caught_by_the_checkpoint(any_db):
    _checkpointed(any_db)
    _tamper(any_db, "DELETE FROM traceentry WHERE seq = 5")
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 5
    assert "ends at entry 4 but the checkpoint of 2025-03-03 signed 5 entries" in verdict.problem


def test_removing_every_entry_is_caught_by_the_checkpoint(any_db):
    _checkpointed(any_db)
    _tamper(any_db, "DELETE FROM traceentry")
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 1 and "entries 1–5 were removed" in verdict.problem


def test_a_forged_append_with_a_correct_plain_hash_is_caught_without_any_trigger_switched_off(any_db):
    _entries(any_db)
    with any_db.write() as s:  # INSERT is allowed: an ordinary session of the database can do this
        s.exec(text(_forged_row(6, _hash_of(any_db, 5))))
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 6 and verdict.checked == 5
    assert "entry 6 does not match its hash: edited, or written without the trace key" in verdict.problem


def test_an_entry_inserted_in_the_middle_is_caught(any_db):
    _entries(any_db)
    shift = [f"UPDATE traceentry SET seq = {seq + 1} WHERE seq = {seq}" for seq in (5, 4, 3)]
    _tamper(any_db, *shift, _forged_row(3, _hash_of(any_db, 2), "inserted"))
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 3 and "entry 3 does not match its hash" in verdict.problem


def test_a_genuine_entry_replayed_in_the_middle_is_caught(any_db):
    _entries(any_db)
    shift = [f"UPDATE traceentry SET seq = {seq + 1} WHERE seq = {seq}" for seq in (5, 4, 3)]
    replay = ("INSERT INTO traceentry (seq, at, actor, actor_id, action, subject_kind, subject_id, court_id, why, "
              "before, after, prev_hash, hash) SELECT 3, at, actor, actor_id, action, subject_kind, subject_id, "
              "court_id, why, before, after, hash, 'replayed' || hash FROM traceentry WHERE seq = 2")
    _tamper(any_db, *shift, replay)
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 3 and "entry 3 does not match its hash" in verdict.problem


def test_a_tail_replaced_after_the_checkpoint_is_caught(any_db):
    """Remove the checkpointed head and append forged entries in its place: the count is kept, the head is not."""
    _checkpointed(any_db)
    _tamper(any_db, "DELETE FROM traceentry WHERE seq = 5", _forged_row(5, _hash_of(any_db, 4)))
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 5


def test_a_checkpoint_written_without_the_key_is_caught(any_db):
    _entries(any_db)
    with any_db.write() as s:
        s.add(TraceCheckpoint(day=DAY, seq=5, head_hash=_hash_of(any_db, 5), entry_count=5, at=NOW,
                              signature=hashlib.sha256(b"5").hexdigest()))
    verdict = _verdict(any_db)
    assert not verdict.ok and "the checkpoint of 2025-03-03 is not signed with the trace key" in verdict.problem


def test_an_edited_checkpoint_is_caught(any_db):
    _checkpointed(any_db)
    _tamper(any_db, "DELETE FROM traceentry WHERE seq = 5", "UPDATE tracecheckpoint SET seq = 4, entry_count = 4, "
            f"head_hash = '{_hash_of(any_db, 4)}'")
    verdict = _verdict(any_db)
    assert not verdict.ok and "the checkpoint of 2025-03-03 is not signed with the trace key" in verdict.problem


def test_entries_after_the_checkpoint_are_still_checked(any_db):
    _checkpointed(any_db)
    _entries(any_db, 2)
    _tamper(any_db, "UPDATE traceentry SET why = 'changed' WHERE seq = 6")
    verdict = _verdict(any_db)
    assert not verdict.ok and verdict.first_bad_seq == 6 and verdict.checkpoints == 1


def test_a_checkpoint_is_not_signed_over_a_broken_chain(any_db):
    _entries(any_db)
    _tamper(any_db, "UPDATE traceentry SET why = 'changed' WHERE seq = 3")
    with any_db.write() as s:
        with pytest.raises(trace.TraceBroken, match="entry 3 does not match its hash"):
            trace.checkpoint(s, DAY, NOW)


def test_courtflow_trace_verify_exits_nonzero_after_tampering(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database(url)
    ensure_schema(db)
    _entries(db, 3)
    env = {"COURTFLOW_DATABASE_URL": url, "PATH": "", "COURTFLOW_ENVIRONMENT": "test",
           "COURTFLOW_TRACE_KEY": get_settings().trace_key}
    run = lambda: subprocess.run([sys.executable, "-m", "cli.main", "trace", "verify"], capture_output=True,  # noqa: E731
                                 text=True, env=env, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    ok = run()
    assert ok.returncode == 0 and "3 entries checked" in ok.stdout
    _tamper(db, "UPDATE traceentry SET actor = 'someone-else' WHERE seq = 2")
    broken = run()
    assert broken.returncode == 1 and "entry 2" in broken.stdout


def test_courtflow_trace_verify_names_a_removed_tail(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database(url)
    ensure_schema(db)  # the migrations install the triggers too
    _checkpointed(db, 3)
    with pytest.raises(DBAPIError, match="DELETE on traceentry refused"):
        with db.write() as s:
            s.exec(text("DELETE FROM traceentry WHERE seq = 3"))
    _tamper(db, "DELETE FROM traceentry WHERE seq = 3")
    env = {"COURTFLOW_DATABASE_URL": url, "PATH": "", "COURTFLOW_ENVIRONMENT": "test",
           "COURTFLOW_TRACE_KEY": get_settings().trace_key}
    run = subprocess.run([sys.executable, "-m", "cli.main", "trace", "verify"], capture_output=True, text=True,
                         env=env, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert run.returncode == 1
    assert "TRACE BROKEN at entry 3: the chain ends at entry 2 but the checkpoint of 2025-03-03" in run.stdout


def test_another_key_verifies_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database(url)
    ensure_schema(db)
    _entries(db, 2)
    env = {"COURTFLOW_DATABASE_URL": url, "PATH": "", "COURTFLOW_ENVIRONMENT": "test",
           "COURTFLOW_TRACE_KEY": "a-different-key-of-thirty-two-characters"}
    run = subprocess.run([sys.executable, "-m", "cli.main", "trace", "verify"], capture_output=True, text=True,
                         env=env, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert run.returncode == 1 and "TRACE BROKEN at entry 1" in run.stdout
