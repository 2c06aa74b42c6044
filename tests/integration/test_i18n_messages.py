"""Refusals and bad input in the caller's language (their setting, else Accept-Language, else Chinese), and the
Chinese pages naming states, events and tasks in words, never as codes."""
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.deps import get_now
from services.demo.seed import DEMO_PASSWORD, seed_demo
from store.models import Case, RoleGrant, Task, User
from tests.factories import small_world
from tests.integration.conftest import login
from tests.integration.test_pages import add_own_task, csrf_of, page_login

CASE = {"case_number": "（2025）辽0102民初0101号", "cause": "买卖合同纠纷", "procedure": "civil-first-ordinary",
        "filed_on": "2025-03-03"}
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def file_case(client, world, username: str, **headers):
    body = {**CASE, "division_id": world.divisions["hp_civil"].id}
    return client.post("/api/v1/cases", headers={**login(client, username), **headers}, json=body)


def test_a_refusal_is_in_the_callers_own_language_whatever_the_browser_says(world, client):
    chinese = file_case(client, world, "judge_a", **{"Accept-Language": "en"})
    assert chinese.status_code == 409
    assert chinese.json()["code"] == "refused.cases.only_filing_clerk_court_may_file"
    assert chinese.json()["message"] == "只有本院立案人员才能立案" and chinese.json()["params"] == {}
    assert chinese.json()["detail"] == "only a filing clerk of this court may file a case"  # English for scripts
    english = file_case(client, world, "english_judge")
    assert english.status_code == 409 and english.json()["message"] == "only a filing clerk of this court may file a case"


def test_without_a_user_the_browser_language_decides_and_chinese_is_the_default(world, client):
    bad = {"username": "judge_a"}  # no password: pydantic's "missing", before anyone is known
    english = client.post("/api/v1/auth/token", data=bad, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.status_code == 422 and english.json()["code"] == "validation.missing"
    assert english.json()["message"] == "Password: Field required"
    chinese = client.post("/api/v1/auth/token", data=bad)
    assert chinese.json()["message"] == "密码：必须填写" and chinese.json()["detail"][0]["loc"] == ["body", "password"]


def test_bad_input_names_the_field_in_words_and_keeps_its_parameters(world, client):
    body = {**CASE, "division_id": world.divisions["hp_civil"].id, "case_number": ""}
    for who, message in (("filing", "案号：至少需要 6 个字符"), ("english_judge", "Case number: String should have at "
                                                                               "least 6 characters")):
        r = client.post("/api/v1/cases", headers=login(client, who), json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation.string_too_short"
        assert r.json()["message"] == message
        assert r.json()["params"]["field"] == "body.case_number" and r.json()["params"]["min_length"] == 6


def test_a_refused_event_is_shown_on_the_page_in_the_readers_language(any_db, world, client, now):
    """A filed case cannot start its trial before it is assigned: the refusal in words, state and event named."""
    case_id = file_case(client, world, "filing").json()["id"]
    page_login(client, "chief")
    page = client.get(f"/s/cases/{case_id}")
    r = client.post(f"/s/cases/{case_id}/fire", data={"event": "start_trial", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 409 and "当前状态为“已立案”，不能“开始审理”" in r.text, r.text


def test_dates_and_times_are_written_the_chinese_way_on_chinese_pages(any_db, world, client, now):
    """The court's clock (02:00 UTC is 10:00 in Asia/Shanghai), 2025年3月3日 on a Chinese page, ISO in English."""
    task_id = add_own_task(any_db, world, now)
    page_login(client, "chief")
    assert "2025年3月10日" in _visible(client.get("/tasks").text, "tasks")
    client.get("/lang/en")
    assert "2025-03-10" in _visible(client.get("/tasks").text, "tasks")
    client.get("/lang/zh")
    token = csrf_of(client.get(f"/s/tasks/{task_id}").text)
    client.post(f"/s/tasks/{task_id}/fire", data={"event": "complete", "csrf_token": token})
    assert "<td>2025年3月3日 10:00</td><td>chief</td><td>办结</td>" in client.get(f"/s/tasks/{task_id}").text
    client.get("/lang/en")
    assert "<td>2025-03-03 10:00</td><td>chief</td><td>Complete</td>" in client.get(f"/s/tasks/{task_id}").text


@pytest.fixture
def demo(any_db, now):
    seed_demo(any_db, now)
    app = create_app(any_db)
    app.dependency_overrides[get_now] = lambda: now
    return app


def _visible(html: str, element_id: str) -> str:
    """The text of the element with this id (tags dropped)."""
    match = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return re.sub(r"<[^>]+>", " ", match.group(2))


def test_a_chinese_page_names_states_tasks_and_events_in_words(demo, any_db):
    """An extension request in the demo world: the approver's tasks page and the request's own page."""
    with any_db.read() as s:
        case = s.exec(select(Case).where(Case.state == "in_trial", Case.deadline.is_not(None))
                      .order_by(Case.id)).first()
        judge = s.get(User, case.lead_judge_id).username
    with TestClient(demo, follow_redirects=False) as client:
        r = client.post(f"/api/v1/cases/{case.id}/transitions", headers=_bearer(client, judge),
                        json={"event": "request_extension", "payload": {"length": "6m", "reason": "案情复杂，需要鉴定"}})
        assert r.status_code == 200, r.text
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "approve_extension")).one()
        approver = s.exec(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
            RoleGrant.role == task.assignee_role, RoleGrant.court_id == task.court_id)).first()
    with TestClient(demo, follow_redirects=False) as client:
        assert page_login(client, approver.username, DEMO_PASSWORD).status_code == 303
        client.get("/lang/zh")
        tasks = _visible(client.get("/tasks").text, "tasks")
        assert "审批延长审限" in tasks and not SNAKE.findall(tasks)
        page = client.get(f"/s/extensions/{task.subject_id}").text
        state, actions = _visible(page, "state"), re.findall(r'<button type="submit" name="fire"[^>]*>([^<]*)<', page)
        assert state.strip() == "待审批" and "requested" not in state
        assert actions and not [a for a in actions if re.search(r"[a-z]", a)], actions  # 批准, 不予批准
        assert "延长审限申请" in page and not SNAKE.findall(_visible(page, "timeline"))
        client.get("/lang/en")
        english = client.get(f"/s/extensions/{task.subject_id}").text
        assert _visible(english, "state").strip() == "Requested" and "Extension request" in english


def test_every_task_kind_of_the_demo_world_has_its_words(demo, any_db):
    """Task kinds are strings the services write; the check cannot list them, the demo world can."""
    import i18n

    with any_db.read() as s:
        kinds = set(s.exec(select(Task.kind).distinct()).all())
    assert kinds and not [k for k in sorted(kinds) if not (i18n.has(f"task.{k}") and i18n.label("task", k, "en") != k)]


def _bearer(client, username: str) -> dict:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_the_parties_are_told_the_extension_in_words_and_the_new_deadline_the_chinese_way(any_db, world):
    from store.models import ExtensionRequest, PartyNotice
    from tests.case_helpers import act, case_row, designate, file

    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    act(any_db, "judge_a", "cases", case_id, "request_extension", {"length": "6m", "reason": "案情复杂"}, "2025-06-20")
    with any_db.read() as s:
        ext_id = s.exec(select(ExtensionRequest.id)).one()
    act(any_db, "president", "extensions", ext_id, "approve", {}, "2025-06-21")
    deadline = case_row(any_db, case_id).deadline
    with any_db.read() as s:
        text = s.exec(select(PartyNotice.text)).one()
    assert "延长六个月" in text and f"{deadline.year}年{deadline.month}月{deadline.day}日" in text and "6m" not in text
