"""The inbox and the one shape for acting on a subject, through the real API."""
from datetime import date

import pytest

from services.kernel.tasks import open_task
from tests.integration.conftest import login
from tests.factories import small_world


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def add_task(db, world, now, **kw):
    with db.write() as s:
        defaults = dict(kind="review_list", title="审阅本月长期未结案件清单", subject_kind="cases", subject_id=1,
                        court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                        due_on=date(2025, 3, 10), at=now, dedupe_key=f"t:{kw.get('assignee_role')}")
        open_task(s, **{**defaults, **kw})


def test_a_division_chief_sees_the_tasks_of_their_role_and_division(any_db, world, client, now):
    add_task(any_db, world, now, assignee_role="division_chief")
    headers = login(client, "chief")
    tasks = client.get("/api/v1/tasks", headers=headers).json()
    assert [t["title"] for t in tasks] == ["审阅本月长期未结案件清单"]
    assert client.get("/api/v1/tasks", headers=login(client, "chief_sh")).json() == []


def test_the_assignee_completes_a_task_and_the_trace_has_it(any_db, world, client, now):
    add_task(any_db, world, now, assignee_role="division_chief")
    headers = login(client, "chief")
    task_id = client.get("/api/v1/tasks", headers=headers).json()[0]["id"]
    subject = client.get(f"/api/v1/tasks/{task_id}", headers=headers).json()
    assert subject["state"] == "open" and subject["allowed_events"] == ["complete", "cancel", "claim", "assign", "prioritise"]
    r = client.post(f"/api/v1/tasks/{task_id}/transitions", headers=headers,
                    json={"event": "complete", "payload": {"note": "已阅"}})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "done" and r.json()["allowed_events"] == []
    assert client.get("/api/v1/tasks", headers=headers).json() == []


def test_a_refused_event_answers_409_with_the_allowed_events_and_is_traced(any_db, world, client, now):
    add_task(any_db, world, now, assignee_role="division_chief")
    headers = login(client, "chief")
    task_id = client.get("/api/v1/tasks", headers=headers).json()[0]["id"]
    client.post(f"/api/v1/tasks/{task_id}/transitions", headers=headers, json={"event": "complete"})
    r = client.post(f"/api/v1/tasks/{task_id}/transitions", headers=headers, json={"event": "complete"})
    assert r.status_code == 409
    assert "not allowed while the tasks is 'done'" in r.json()["detail"]
    assert r.json()["allowed_events"] == []
    from sqlmodel import select
    from store.models import TraceEntry
    with any_db.read() as s:
        actions = [e.action for e in s.exec(select(TraceEntry).order_by(TraceEntry.seq)).all()]
    assert actions[-2:] == ["tasks.complete", "refused:tasks.complete"]


def test_a_bad_payload_is_422_naming_the_field_and_changes_nothing(any_db, world, client, now):
    add_task(any_db, world, now, assignee_role="division_chief")
    headers = login(client, "chief")
    task_id = client.get("/api/v1/tasks", headers=headers).json()[0]["id"]
    r = client.post(f"/api/v1/tasks/{task_id}/transitions", headers=headers,
                    json={"event": "cancel", "payload": {"reason": ""}})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["payload", "reason"]
    assert client.get(f"/api/v1/tasks/{task_id}", headers=headers).json()["state"] == "open"


def test_another_courts_task_looks_like_404(any_db, world, client, now):
    add_task(any_db, world, now, assignee_role="division_chief")
    task_id = client.get("/api/v1/tasks", headers=login(client, "chief")).json()[0]["id"]
    r = client.get(f"/api/v1/tasks/{task_id}", headers=login(client, "chief_sh"))
    assert r.status_code == 404


def test_a_stale_version_is_refused_with_409(any_db, world, client, now):
    add_task(any_db, world, now, assignee_role="division_chief")
    headers = login(client, "chief")
    task_id = client.get("/api/v1/tasks", headers=headers).json()[0]["id"]
    r = client.post(f"/api/v1/tasks/{task_id}/transitions", headers=headers,
                    json={"event": "complete", "expected_version": 7})
    assert r.status_code == 409 and "stale" in r.json()["detail"]


def test_a_wrong_password_gets_no_token_and_is_traced(any_db, world, client):
    r = client.post("/api/v1/auth/token", data={"username": "chief", "password": "nope"})
    assert r.status_code == 401
    assert client.get("/api/v1/tasks").status_code == 401
