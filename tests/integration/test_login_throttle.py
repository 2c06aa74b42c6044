"""Login throttling: 5 wrong passwords lock the account for 15 minutes, 20 lock the address; the right
password is refused with 429 while locked; the owner is told once; counts hold across API processes."""
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from api.app import create_app
from api.deps import get_now
from services.kernel.auth import LoginLocked, authenticate
from store.db import Database
from store.models import Notice, TraceEntry
from tests.factories import PASSWORD, small_world


@pytest.fixture
def world(any_db):
    return small_world(any_db)


@pytest.fixture
def clock(now):
    return [now]


@pytest.fixture
def api(any_db, clock):
    app = create_app(any_db)
    app.dependency_overrides[get_now] = lambda: clock[0]
    return TestClient(app, follow_redirects=False)


def token(api, username, password, **headers):
    return api.post("/api/v1/auth/token", data={"username": username, "password": password}, headers=headers)


def count(db, model, *where) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one_until_it_expires(any_db, world, api, clock):
    for _ in range(5):
        assert token(api, "judge_a", "guess").status_code == 401
    locked = token(api, "judge_a", PASSWORD)
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"] and "10:15" in locked.json()["detail"]  # court time, 15 min on
    assert int(locked.headers["Retry-After"]) == 900
    english = token(api, "judge_a", PASSWORD, **{"Accept-Language": "en"})
    assert english.status_code == 429 and english.json()["detail"].startswith("Too many failed logins")
    assert token(api, "judge_b", PASSWORD).status_code == 200  # another account from the same address is fine
    clock[0] += timedelta(minutes=14, seconds=59)
    assert token(api, "judge_a", PASSWORD).status_code == 429
    clock[0] += timedelta(seconds=1)
    assert token(api, "judge_a", PASSWORD).status_code == 200


def test_the_owner_is_told_once_per_lockout_and_the_lockout_is_traced(any_db, world, api, clock):
    judge = world.users["judge_a"].id
    for _ in range(12):  # 5 lock it; the 7 during the lockout neither count nor tell again
        token(api, "judge_a", "guess")
    assert count(any_db, Notice, Notice.kind == "login_locked", Notice.recipient_user_id == judge) == 1
    assert count(any_db, TraceEntry, TraceEntry.action == "login.locked") == 1
    assert count(any_db, TraceEntry, TraceEntry.action == "refused:login") == 12
    clock[0] += timedelta(minutes=15)
    for _ in range(5):
        token(api, "judge_a", "guess")
    assert count(any_db, Notice, Notice.kind == "login_locked", Notice.recipient_user_id == judge) == 2


def test_failures_spread_beyond_the_window_do_not_lock_and_a_right_password_clears_the_count(any_db, world, now):
    for minutes in (0, 1, 2, 3, 16, 17, 18, 19):  # 4 + 4, the window is 15 minutes
        assert authenticate(any_db, "judge_a", "guess", now + timedelta(minutes=minutes), "10.0.0.1") is None
    assert authenticate(any_db, "judge_a", PASSWORD, now + timedelta(minutes=20), "10.0.0.1") is not None
    for minutes in range(21, 25):
        authenticate(any_db, "judge_a", "guess", now + timedelta(minutes=minutes), "10.0.0.1")
    assert authenticate(any_db, "judge_a", PASSWORD, now + timedelta(minutes=25), "10.0.0.1") is not None


def test_twenty_failures_from_one_address_lock_the_address_for_every_account(any_db, world, now):
    for i in range(20):  # four tries at each of five accounts: no account reaches its own limit
        authenticate(any_db, ["judge_a", "judge_b", "judge_c", "chief", "vp"][i % 5], "guess", now, "10.6.6.6")
    with pytest.raises(LoginLocked):
        authenticate(any_db, "president", PASSWORD, now, "10.6.6.6")
    assert authenticate(any_db, "president", PASSWORD, now, "10.0.0.2") is not None
    assert count(any_db, Notice, Notice.kind == "login_locked") == 0  # an address has no owner to tell


def test_the_counts_are_shared_by_every_api_process(any_db, world, now):
    other_process = Database(any_db.url)
    try:
        for db in (any_db, other_process, any_db, other_process, any_db):
            authenticate(db, "judge_a", "guess", now, "10.0.0.1")
        with pytest.raises(LoginLocked):
            authenticate(other_process, "judge_a", PASSWORD, now, "10.0.0.9")
    finally:
        other_process.dispose()


def test_the_login_page_refuses_a_locked_account_in_chinese_with_429(any_db, world, api):
    from tests.integration.test_pages import csrf_of

    def form_login(password):
        token = csrf_of(api.get("/login").text)
        return api.post("/login", data={"username": "judge_a", "password": password, "csrf_token": token})

    assert {form_login("guess").status_code for _ in range(5)} == {401}
    page = form_login(PASSWORD)
    assert page.status_code == 429 and "已暂时锁定" in page.text and "Too many" not in page.text
    assert api.get("/tasks").status_code == 303  # still not logged in: sent to the login page
