"""The policy in force, cached per process: an override saved through one API process is what the next command
on another one follows, by hand or through the service, never before its effective date, and never one that
was rolled back."""
from datetime import date

import pytest
from sqlmodel import select

from services.admin.overrides import save
from services.kernel.errors import Refused
from services.kernel.policy import apply_due_versions, policy
from store.db import Database
from store.models import PolicyStamp
from store.schema import ensure_schema
from tests.case_helpers import act, actor, at, designate, file
from tests.factories import add_user, small_world

ONE_ADJOURNMENT = {"procedures": {"civil-first-ordinary": {"max_adjournments": 1}}}


@pytest.fixture
def world(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "admin_hp", "hp", ["court_admin"])
    return world


@pytest.fixture
def other_process(any_db):
    """A second engine on the same database, as another API process behind the balancer has."""
    other = Database(any_db.url)
    yield other
    other.dispose()


def _adjournments_allowed(db, world) -> int:
    with db.read() as s:
        return policy(s, world.courts["hp"].id, "time_limits").procedure("civil-first-ordinary").max_adjournments


def _save(db, world, day: str, effective: str, data=ONE_ADJOURNMENT) -> None:
    with db.write() as s:
        save(s, actor(db, "admin_hp"), world.courts["hp"].id, "time_limits", data,
             effective_from=date.fromisoformat(effective), why="试行一次延期", now=at(day))


def _case_adjourned_once(db, world) -> int:
    case_id = file(db, world)
    designate(db, world, case_id)
    act(db, "judge_a", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    act(db, "judge_a", "cases", case_id, "adjourn_hearing", {}, "2025-01-21")
    return case_id


def test_an_override_saved_in_one_process_is_followed_by_the_next_command_in_another(any_db, world, other_process):
    case_id = _case_adjourned_once(other_process, world)  # the other process has read the policy in force
    assert _adjournments_allowed(other_process, world) == 2
    _save(any_db, world, "2025-01-21", "2025-01-21")
    with pytest.raises(Refused, match="at most 1 adjournment"):
        act(other_process, "judge_a", "cases", case_id, "adjourn_hearing", {}, "2025-01-22")


def test_an_override_dated_later_is_not_followed_before_its_day(any_db, world, other_process):
    case_id = _case_adjourned_once(other_process, world)
    _save(any_db, world, "2025-01-21", "2025-01-23")
    assert _adjournments_allowed(other_process, world) == 2  # saved, not yet in force
    with any_db.write() as s:
        apply_due_versions(s, date(2025, 1, 22), at("2025-01-22"))  # the monitor of the day before
    assert _adjournments_allowed(other_process, world) == 2
    with any_db.write() as s:
        apply_due_versions(s, date(2025, 1, 23), at("2025-01-23"))  # the monitor of its day
    with pytest.raises(Refused, match="at most 1 adjournment"):
        act(other_process, "judge_a", "cases", case_id, "adjourn_hearing", {}, "2025-01-23")


def test_an_override_removed_by_hand_is_seen_at_once(any_db, world, other_process):
    _save(any_db, world, "2025-01-21", "2025-01-21")
    assert _adjournments_allowed(other_process, world) == 1
    with any_db.writer.begin() as conn:
        conn.exec_driver_sql("DELETE FROM policyoverride")
    assert _adjournments_allowed(other_process, world) == 2


def test_an_override_rolled_back_is_never_served(any_db, world, other_process):
    assert _adjournments_allowed(other_process, world) == 2
    with pytest.raises(RuntimeError), any_db.write() as s:
        save(s, actor(any_db, "admin_hp"), world.courts["hp"].id, "time_limits", ONE_ADJOURNMENT,
             effective_from=date(2025, 1, 21), why="试行一次延期", now=at("2025-01-21"))
        assert policy(s, world.courts["hp"].id, "time_limits").procedure("civil-first-ordinary").max_adjournments == 1
        raise RuntimeError("the save is abandoned")
    assert _adjournments_allowed(other_process, world) == 2
    assert _adjournments_allowed(any_db, world) == 2


@pytest.fixture(params=["sqlite", "postgres"])
def migrated(request, tmp_path):
    """A database built by the migrations, not by create_all."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'migrated.db'}")
        ensure_schema(db)
        yield db
        db.dispose()
        return
    import psycopg

    url = request.getfixturevalue("postgres_url")
    drop = "DROP DATABASE IF EXISTS courtflow_stamp_migrate_test WITH (FORCE)"
    with psycopg.connect(url.replace("+psycopg", "").rsplit("/", 1)[0] + "/test", autocommit=True) as admin:
        admin.execute(drop)
        admin.execute("CREATE DATABASE courtflow_stamp_migrate_test")
        db = Database(url.rsplit("/", 1)[0] + "/courtflow_stamp_migrate_test")
        ensure_schema(db)
        yield db
        db.dispose()
        admin.execute(drop)


def test_the_migrations_renew_the_stamp_on_every_override_write(migrated):
    world = small_world(migrated)
    with migrated.write() as s:
        add_user(s, world, "admin_hp", "hp", ["court_admin"])
    stamps = [_stamp(migrated)]
    assert _adjournments_allowed(migrated, world) == 2
    _save(migrated, world, "2025-01-21", "2025-01-21")
    stamps.append(_stamp(migrated))
    assert _adjournments_allowed(migrated, world) == 1
    with migrated.writer.begin() as conn:
        conn.exec_driver_sql("DELETE FROM policyoverride")
    stamps.append(_stamp(migrated))
    assert _adjournments_allowed(migrated, world) == 2
    assert None not in stamps and len(set(stamps)) == 3


def _stamp(db) -> str | None:
    with db.read() as s:
        return s.exec(select(PolicyStamp.stamp)).first()
