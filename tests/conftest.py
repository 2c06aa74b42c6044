"""Shared fixtures: real SQLite and PostgreSQL databases, a real Prefect test server.

PostgreSQL is the machine's own server at 127.0.0.1:5432 (trust auth). Under CI=true a
missing server fails the run; elsewhere the PostgreSQL variants skip and say why.
"""
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("COURTFLOW_ENVIRONMENT", "test")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="courtflow-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("COURTFLOW_TRACE_KEY", "courtflow-test-trace-key-not-a-secret")

from sqlmodel import SQLModel  # noqa: E402  (the environment above must be set first)

import store.models  # noqa: E402,F401
from store.db import Database  # noqa: E402
from tests import append_only  # noqa: E402

PG_ADMIN_URL = os.environ.get("COURTFLOW_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_DB = f"courtflow_test_{os.getpid()}"


def _postgres_or_skip():
    import psycopg

    try:
        conn = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    return conn


@pytest.fixture(scope="session")
def postgres_url():
    conn = _postgres_or_skip()
    conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
    conn.execute(f'CREATE DATABASE "{PG_DB}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{PG_DB}"
    database = Database(url)
    SQLModel.metadata.create_all(database.writer)
    database.dispose()
    yield url
    conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    conn.close()


def _truncate_all(database: Database) -> None:
    """Empty every table between tests; only a test may switch the trace's append-only triggers off.

    Only the tables holding rows are truncated (TRUNCATE rewrites each table it names: all 66 took 0.6 s a
    test, the probe and the few the test filled take 0.05 s), and every sequence starts again at 1."""
    probe = " UNION ALL ".join(f"""SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM "{t.name}")"""
                               for t in SQLModel.metadata.sorted_tables)
    with database.writer.begin() as conn:
        append_only.switch_off(conn)
        filled = [row[0] for row in conn.exec_driver_sql(probe)]
        if filled:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{name}"' for name in filled) + " CASCADE")
        conn.exec_driver_sql("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")


def module_database(request, tmp_path_factory, name: str) -> Database:
    """An empty database for a module-scoped fixture parametrized by database (`request.param`): a fresh SQLite
    file in its own folder, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path_factory.mktemp(name) / 'courtflow.db'}")
        SQLModel.metadata.create_all(database.writer)
        return database
    database = Database(request.getfixturevalue("postgres_url"))
    _truncate_all(database)
    return database


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty schema built once per worker; each test starts from a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "courtflow.db"
    database = Database(f"sqlite:///{path}")
    SQLModel.metadata.create_all(database.writer)
    database.dispose()
    return path


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template):
    shutil.copyfile(sqlite_template, tmp_path / "courtflow.db")
    database = Database(f"sqlite:///{tmp_path / 'courtflow.db'}")
    yield database
    database.dispose()


@pytest.fixture
def postgres_db(postgres_url):
    database = Database(postgres_url)
    _truncate_all(database)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request):
    """The same test on SQLite and on PostgreSQL."""
    yield request.getfixturevalue(f"{request.param}_db")


@pytest.fixture
def db(sqlite_db):
    return sqlite_db


@pytest.fixture(scope="session")
def prefect_server():
    """One real Prefect test server for the whole session, with flow heartbeats off."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


@pytest.fixture
def now():
    """A fixed instant: 2025-03-03 10:00 in Asia/Shanghai."""
    return datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def evidence_dir(tmp_path, monkeypatch):
    """Evidence files of the test live in its own directory (COURTFLOW_EVIDENCE_DIR)."""
    from store.config import get_settings

    path = tmp_path / "evidence"
    monkeypatch.setenv("COURTFLOW_EVIDENCE_DIR", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def pytest_configure(config):
    """Every lifecycle plugged in, as the app factory, the flows and the CLI do at start-up; before
    collection, since a test module may load a policy (whose schema a lifecycle plugs in) on import."""
    from services.bootstrap import build_registry

    build_registry()


@pytest.fixture(scope="session", autouse=True)
def registry():
    """The registry built at start-up (pytest_configure)."""
    from services.kernel.registry import current

    return current()
