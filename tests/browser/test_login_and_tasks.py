"""Real user journeys through chromium: log in, work the inbox, lose a race, switch language, log out."""
import re
from datetime import date, datetime, timezone

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.kernel import engine as transitions
from services.kernel.auth import actor_for
from services.kernel.tasks import open_task
from store.models import Task, TraceEntry
from tests.browser.conftest import follow_nav, login, state_word
from tests.factories import PASSWORD, add_user

pytestmark = pytest.mark.browser

TITLE = "审阅本月长期未结案件清单"


def add_own_task(db, world, title=TITLE, role="division_chief") -> int:
    """A task that is a step of its own: its subject is the task itself, so the inbox opens it."""
    key = f"browser:{title}:{role}"
    with db.write() as s:
        open_task(s, kind="review_list", title=title, subject_kind="tasks", subject_id=0,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                  assignee_role=role, due_on=date(2025, 3, 10), at=datetime.now(timezone.utc), dedupe_key=key)
        task = s.exec(select(Task).where(Task.dedupe_key == key)).one()
        task.subject_id = task.id
        s.add(task)
        s.flush()
        return task.id


def load_task(db, task_id: int) -> Task:
    with db.read() as s:
        return s.get(Task, task_id)


def actions_on(db, task_id: int) -> list[str]:
    with db.read() as s:
        return list(s.exec(select(TraceEntry.action).where(TraceEntry.subject_kind == "tasks",
                                                           TraceEntry.subject_id == task_id)
                           .order_by(TraceEntry.seq)).all())


def test_a_division_chief_completes_a_task_from_the_inbox_with_a_note(page, live_server, world):
    task_id = add_own_task(live_server.db, world)
    login(page, live_server.base_url, "chief", PASSWORD)
    expect(page).to_have_url(f"{live_server.base_url}/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")
    row = page.locator(f"#tasks tr[data-task-id='{task_id}']")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("2025年3月10日")

    row.get_by_role("link", name="打开").click()
    expect(page).to_have_url(f"{live_server.base_url}/s/tasks/{task_id}")
    expect(page.locator("#state")).to_have_text(state_word("tasks", "open"))
    complete = page.locator("form.action[data-event='complete']")
    complete.get_by_label("备注").fill("已阅，无异议")
    complete.get_by_role("button", name="办结").click()

    expect(page.locator("#state")).to_have_text(state_word("tasks", "done"))
    expect(page.get_by_role("status")).to_contain_text("办结")
    expect(page.locator("#timeline tbody tr").filter(has_text="办结")).to_contain_text("chief")
    expect(page.locator("form.action")).to_have_count(0)
    task = load_task(live_server.db, task_id)
    assert (task.state, task.context.get("note"), task.done_by) == ("done", "已阅，无异议", world.users["chief"].id)

    follow_nav(page, "我的待办")
    expect(page.locator("p.empty")).to_have_text("暂无待办事项")
    expect(page.locator("#tasks")).to_have_count(0)


def test_a_wrong_password_is_refused_and_stays_on_the_login_page(page, live_server):
    login(page, live_server.base_url, "chief", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
    expect(page).to_have_url(f"{live_server.base_url}/login")
    expect(page.locator("input[name=username]")).to_have_value("chief")
    page.goto(f"{live_server.base_url}/tasks")
    expect(page).to_have_url(re.compile(r"/login\?next=/tasks$"))


def test_switching_to_english_shows_my_tasks(page, live_server):
    login(page, live_server.base_url, "chief", PASSWORD)
    page.locator("#lang-switch").click()
    expect(page).to_have_url(f"{live_server.base_url}/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    expect(page.locator("p.empty")).to_have_text("Nothing waiting for you")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_page_visited_without_login_redirects_to_login(page, live_server):
    page.goto(f"{live_server.base_url}/overview")
    expect(page).to_have_url(f"{live_server.base_url}/login?next=/overview")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")


def test_completing_a_task_someone_else_completed_meanwhile_is_refused_and_changes_nothing(page, live_server, world):
    db = live_server.db
    task_id = add_own_task(db, world)
    with db.write() as s:
        other = add_user(s, world, "chief_b", "hp", ["division_chief"], "hp_civil")
    login(page, live_server.base_url, "chief", PASSWORD)
    page.goto(f"{live_server.base_url}/s/tasks/{task_id}")
    expect(page.locator("#state")).to_have_text(state_word("tasks", "open"))

    transitions.fire(db, actor_for(db, other.id), "tasks", task_id, "complete", {"note": "我先办了"},
                     datetime.now(timezone.utc))
    complete = page.locator("form.action[data-event='complete']")
    complete.get_by_label("备注").fill("晚了一步")
    complete.get_by_role("button", name="办结").click()

    expect(page.get_by_role("alert")).to_contain_text("他人已修改")
    expect(page.locator("#state")).to_have_text(state_word("tasks", "done"))
    expect(page.locator("form.action")).to_have_count(0)
    task = load_task(db, task_id)
    assert (task.context.get("note"), task.done_by) == ("我先办了", other.id)
    assert actions_on(db, task_id).count("tasks.complete") == 1


def test_logout_returns_to_login_and_ends_the_session(page, live_server):
    login(page, live_server.base_url, "chief", PASSWORD)
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{live_server.base_url}/login")
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    page.goto(f"{live_server.base_url}/tasks")
    expect(page).to_have_url(re.compile(r"/login\?next=/tasks$"))
