"""The HTML pages through FastAPI's TestClient: CSRF, the cookie session, what the overview shows."""
import json
import re
from base64 import b64decode
from datetime import date

import pytest
from itsdangerous import TimestampSigner
from sqlmodel import select

from services.kernel.tasks import open_task
from store.config import get_settings
from store.models import Task, TraceEntry
from tests.factories import PASSWORD, small_world

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


def page_login(client, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def session_of(client) -> dict:
    """The signed cookie session's contents, as the server will read them."""
    cookie = client.cookies.get("courtflow_session")
    if cookie is None:
        return {}
    payload = TimestampSigner(str(get_settings().secret_key)).unsign(cookie.encode())
    return json.loads(b64decode(payload))


def add_own_task(db, world, now) -> int:
    """A division chief's task whose subject is the task itself."""
    with db.write() as s:
        open_task(s, kind="review_list", title="审阅本月长期未结案件清单", subject_kind="tasks", subject_id=0,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                  assignee_role="division_chief", due_on=date(2025, 3, 10), at=now, dedupe_key="pages:review")
        task = s.exec(select(Task).where(Task.dedupe_key == "pages:review")).one()
        task.subject_id = task.id
        s.add(task)
        s.flush()
        return task.id


def task_and_trace(db, task_id: int) -> tuple[str, int, list[str]]:
    with db.read() as s:
        task = s.get(Task, task_id)
        actions = s.exec(select(TraceEntry.action).where(TraceEntry.subject_kind == "tasks",
                                                         TraceEntry.subject_id == task_id)).all()
        return task.state, task.version, list(actions)


def test_a_form_post_without_the_csrf_token_is_403_and_changes_nothing(any_db, world, client, now):
    task_id = add_own_task(any_db, world, now)
    assert page_login(client, "chief").status_code == 303
    page = client.get(f"/s/tasks/{task_id}")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    before = task_and_trace(any_db, task_id)
    form = {"event": "complete", "version": version, "note": "已阅"}

    assert client.post(f"/s/tasks/{task_id}/fire", data=form).status_code == 403
    assert client.post(f"/s/tasks/{task_id}/fire", data={**form, "csrf_token": "forged"}).status_code == 403
    assert task_and_trace(any_db, task_id) == before

    r = client.post(f"/s/tasks/{task_id}/fire", data={**form, "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303 and task_and_trace(any_db, task_id)[0] == "done"


def test_login_and_logout_without_the_csrf_token_are_403(any_db, world, client):
    client.get("/login")
    r = client.post("/login", data={"username": "chief", "password": PASSWORD})
    assert r.status_code == 403 and "uid" not in session_of(client)
    assert page_login(client, "chief").status_code == 303
    assert client.post("/logout").status_code == 403
    assert client.get("/tasks").status_code == 200


def test_the_session_holds_a_user_only_after_a_correct_password(any_db, world, client):
    r = page_login(client, "chief", "wrong")
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    assert "uid" not in session_of(client)
    assert client.get("/tasks").headers["location"] == "/login?next=/tasks"

    r = page_login(client, "chief")
    assert r.status_code == 303 and r.headers["location"] == "/tasks"
    assert "courtflow_session=" in r.headers["set-cookie"]
    assert session_of(client)["uid"] == world.users["chief"].id
    assert "我的待办" in client.get("/tasks").text


@pytest.mark.parametrize("username, courts", [
    ("mid_office", ["辽01", "辽0102", "辽0103"]),
    ("chief", ["辽0102"]),
    ("chief_sh", ["辽0103"]),
])
def test_the_overview_shows_only_the_courts_the_grants_reach(any_db, world, client, now, username, courts):
    add_own_task(any_db, world, now)
    assert page_login(client, username).status_code == 303
    html = client.get("/overview").text
    assert re.findall(r'data-court="([^"]+)"', html) == courts
    if "辽0102" in courts:
        hp_row = re.search(r'<tr data-court="辽0102">.*?</tr>', html, re.S).group(0)
        assert re.findall(r"<td[^>]*>(\d+)</td>", hp_row)[-1] == "1"  # the open task


def test_the_timeline_shows_times_on_the_courts_clock(any_db, world, client, now):
    task_id = add_own_task(any_db, world, now)
    page_login(client, "chief")
    token = csrf_of(client.get(f"/s/tasks/{task_id}").text)
    client.post(f"/s/tasks/{task_id}/fire", data={"event": "complete", "csrf_token": token})
    assert "<td>2025年3月3日 10:00</td><td>chief</td><td>办结</td>" in client.get(f"/s/tasks/{task_id}").text
