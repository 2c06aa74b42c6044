"""The logins `courtflow serve` prints reach the demo: each, logged in over HTTP, finds the work its hint names."""
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_now
from services.seed_demo import DEMO_PASSWORD, seed_demo
from tests.integration.test_pages import page_login


@pytest.fixture
def demo(any_db, now):
    logins = seed_demo(any_db, now)
    app = create_app(any_db)
    app.dependency_overrides[get_now] = lambda: now
    return logins, app


def bearer(client, username: str) -> dict:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def work_of(client, who: str, path: str, page: str, headers: dict) -> list:
    """What the login's hint promises, read from the API as that user (the reviewer's from their page's links)."""
    api = lambda url: client.get(url, headers=headers).json()  # noqa: E731
    if path == "/tasks":
        return api("/api/v1/tasks")
    if who == "trial_office":
        return [p for p in api("/api/v1/petitions") if p["state"] == "registered"]
    if who == "personnel":
        return api("/api/v1/exit_proceedings")
    if who == "exit_judge":
        return api(f"/api/v1/exit_proceedings/{path.rsplit('/', 1)[1]}")["allowed_events"]
    if who == "reviewer":
        return [i for i in re.findall(r'href="/s/reviews/(\d+)"', page)
                if "grade" in api(f"/api/v1/reviews/{i}")["allowed_events"]]
    if who == "clerk":
        return api("/api/v1/cases")["items"]
    raise AssertionError(f"no check for {who}")


def test_every_printed_login_opens_its_page_and_finds_work_there(demo):
    logins, app = demo
    assert len(logins.logins) == 9
    for login in logins.logins:
        with TestClient(app, follow_redirects=False) as client:
            assert page_login(client, login.username, DEMO_PASSWORD).status_code == 303, login.username
            page = client.get(login.path)
            assert page.status_code == 200, f"{login.who} {login.path}: {page.status_code}"
            assert work_of(client, login.who, login.path, page.text, bearer(client, login.username)), \
                f"{login.who} ({login.username}) finds nothing at {login.path}"


def test_the_petition_handler_is_asked_to_answer_and_the_exit_judge_to_reply(demo):
    logins, app = demo
    by_who = {d.who: d for d in logins.logins}
    with TestClient(app, follow_redirects=False) as client:
        tasks = client.get("/api/v1/tasks", headers=bearer(client, by_who["petition_handler"].username)).json()
        exit_id = by_who["exit_judge"].path.rsplit("/", 1)[1]
        proceeding = client.get(f"/api/v1/exit_proceedings/{exit_id}",
                                headers=bearer(client, by_who["exit_judge"].username)).json()
    assert "answer_petition" in {t["kind"] for t in tasks}
    assert proceeding["state"] == "statement_period" and "file_statement" in proceeding["allowed_events"]
