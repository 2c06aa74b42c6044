"""The team inbox in chromium (issue 17): a chief reassigns a judge's task to a colleague picked by name, a
judge claims a task offered to the judges, a judge hands their inbox to a colleague and ends it early — each
step checked by what the Chinese pages show."""
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from i18n.words import date_words
from services.kernel.clock import local_today
from services.kernel.tasks import open_task
from store.models import Task
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def a_task(db, world, title: str, *, user: str | None = None, role: str | None = None) -> int:
    """A task of its own (the inbox opens it), due in ten days, held by `user` or offered to `role`."""
    key = f"browser-inbox:{title}"
    with db.write() as s:
        open_task(s, kind="review_list", title=title, subject_kind="tasks", subject_id=0,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                  assignee_user_id=world.users[user].id if user else None, assignee_role=role,
                  due_on=date.today() + timedelta(days=10), at=datetime.now(timezone.utc), dedupe_key=key)
        task = s.exec(select(Task).where(Task.dedupe_key == key)).one()
        task.subject_id = task.id
        s.add(task)
        s.flush()
        return task.id


def holder_of(db, task_id: int) -> tuple[int | None, int | None]:
    with db.read() as s:
        task = s.get(Task, task_id)
        return task.assignee_user_id, task.delegated_from_user_id


def inbox_row(page, base_url: str, task_id: int):
    page.goto(f"{base_url}/tasks")
    return page.locator(f"#tasks tr[data-task-id='{task_id}']")


def test_a_chief_reassigns_a_judges_task_to_a_judge_picked_by_name(page, live_server, world):
    base, db = live_server.base_url, live_server.db
    task_id = a_task(db, world, "撰写本季度调研报告", user="judge_a")
    login(page, base, "chief", PASSWORD)
    page.goto(f"{base}/s/tasks/{task_id}")
    expect(page.locator("#holder")).to_have_text("judge_a")
    assign = page.locator("form.action[data-event='assign']")
    names = assign.get_by_label("指派给").locator("option").all_text_contents()
    assert "judge_b" in names and "judge_a" not in names and "clerk_a" not in names   # other judges, by name
    assign.get_by_label("指派给").select_option(label="judge_b")
    assign.get_by_label("理由").fill("承办法官出差")
    assign.get_by_role("button", name="指派/改派").click()

    expect(page.get_by_role("status")).to_contain_text("指派/改派")
    expect(page.locator("#holder")).to_have_text("judge_b")
    expect(page.locator("#timeline tbody tr").filter(has_text="指派/改派")).to_contain_text("chief")
    assert holder_of(db, task_id) == (world.users["judge_b"].id, None)

    login(page, base, "judge_b", PASSWORD)
    expect(inbox_row(page, base, task_id)).to_contain_text("撰写本季度调研报告")
    login(page, base, "judge_a", PASSWORD)
    expect(inbox_row(page, base, task_id)).to_have_count(0)


def test_a_judge_claims_a_task_offered_to_the_judges(page, live_server, world):
    base, db = live_server.base_url, live_server.db
    task_id = a_task(db, world, "审阅庭内长期未结案件清单", role="judge")
    login(page, base, "judge_a", PASSWORD)
    inbox_row(page, base, task_id).get_by_role("link", name="打开").click()
    expect(page.locator("#holder")).to_have_text("待法官认领")
    page.locator("form.action[data-event='claim']").get_by_role("button", name="认领").click()

    expect(page.get_by_role("status")).to_contain_text("认领")
    expect(page.locator("#holder")).to_have_text("judge_a")
    expect(page.locator("form.action[data-event='unclaim']").get_by_role("button", name="退回")).to_be_visible()
    assert holder_of(db, task_id) == (world.users["judge_a"].id, None)
    login(page, base, "judge_b", PASSWORD)                          # no longer offered to the other judges
    expect(inbox_row(page, base, task_id)).to_have_count(0)


def test_a_judge_delegates_their_inbox_and_ends_the_delegation_early(page, live_server, world):
    base, db = live_server.base_url, live_server.db
    task_id = a_task(db, world, "答复当事人来信", user="judge_a")
    today = local_today(datetime.now(timezone.utc))
    login(page, base, "judge_a", PASSWORD)
    page.goto(f"{base}/tasks/delegations")
    expect(page.locator("#no-delegations")).to_have_text("暂无委托")
    form = page.locator("#delegate-form")
    form.get_by_label("受托人").select_option(label="judge_b")
    form.get_by_label("角色").select_option(label="法官")
    form.get_by_label("开始日期").fill(today.isoformat())
    form.get_by_label("结束日期（含）").fill((today + timedelta(days=6)).isoformat())
    form.get_by_label("事由").fill("年休假")
    form.get_by_role("button", name="委托").click()

    expect(page.locator("#delegation-ok")).to_have_text("委托已登记")
    row = page.locator("#delegation-list tr.delegation")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("judge_b")
    expect(row.locator(".delegation-state")).to_have_text("生效中")   # it starts today: at once
    assert holder_of(db, task_id) == (world.users["judge_b"].id, world.users["judge_a"].id)
    expect(inbox_row(page, base, task_id)).to_have_count(0)        # the task is with the delegate meanwhile

    page.goto(f"{base}/tasks/delegations")
    end = page.locator("#delegation-list form.end-delegation")
    end.get_by_label("提前结束的理由").fill("提前返岗")
    end.get_by_role("button", name="提前结束").click()

    expect(page.locator("#delegation-ok")).to_have_text("委托已提前结束，未办结的待办已退回委托人")
    expect(row.locator(".delegation-state")).to_have_text(f"已结束（{date_words(today, 'zh_CN')} 结束）")
    expect(page.locator("form.end-delegation")).to_have_count(0)
    assert holder_of(db, task_id) == (world.users["judge_a"].id, None)
    expect(inbox_row(page, base, task_id)).to_contain_text("答复当事人来信")
