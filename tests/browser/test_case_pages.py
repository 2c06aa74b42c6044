"""Case pages in chromium: my cases with days left, the case page's countdown and actions, approving an extension."""
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.kernel import engine as transitions
from services.kernel.auth import actor_for
from services.kernel.clock import local_today
from services.cases.filing import CaseCreate, file_case
from store.models import Case, ExtensionRequest
from tests.browser.conftest import follow_nav, login, state_word
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NUMBER = "（2026）辽0102民初0042号"


def assigned_case(db, world, judge="judge_a") -> int:
    """A case filed 20 days ago and designated to the judge by the division chief."""
    now = datetime.now(timezone.utc)
    case_id = file_case(db, actor_for(db, world.users["filing"].id), CaseCreate(
        case_number=NUMBER, cause="民间借贷纠纷", procedure="civil-first-ordinary",
        division_id=world.divisions["hp_civil"].id, filed_on=local_today(now) - timedelta(days=20)), now)
    transitions.fire(db, actor_for(db, world.users["chief"].id), "cases", case_id, "assign",
                     {"method": "designated", "judge_id": world.users[judge].id, "reason": "专业对口"}, now)
    return case_id


def days_left_of(db, case_id: int) -> int:
    with db.read() as s:
        case = s.get(Case, case_id)
        return (case.deadline - local_today(datetime.now(timezone.utc))).days


def test_the_judge_sees_their_case_with_days_left_under_my_cases(page, live_server, world):
    case_id = assigned_case(live_server.db, world)
    login(page, live_server.base_url, "judge_a", PASSWORD)
    follow_nav(page, "我的案件", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("我的案件")
    row = page.locator(f"#cases tr[data-case-id='{case_id}']")
    expect(row).to_contain_text(NUMBER)
    expect(row.locator("td.days-left")).to_have_text(f"剩余 {days_left_of(live_server.db, case_id)} 天")


def test_the_case_page_shows_the_countdown_and_the_judges_actions(page, live_server, world):
    case_id = assigned_case(live_server.db, world)
    login(page, live_server.base_url, "judge_a", PASSWORD)
    page.goto(f"{live_server.base_url}/cases")
    page.locator(f"#cases tr[data-case-id='{case_id}']").get_by_role("link", name=NUMBER).click()
    expect(page).to_have_url(f"{live_server.base_url}/cases/{case_id}")
    expect(page.locator("#case-number")).to_have_text(NUMBER)
    expect(page.locator("#countdown")).to_have_text(f"剩余 {days_left_of(live_server.db, case_id)} 天")
    expect(page.locator("#state")).to_have_text(state_word("cases", "assigned"))
    page.locator("form.action[data-event='start_trial']").get_by_role("button", name="开始审理").click()
    expect(page.locator("#state")).to_have_text(state_word("cases", "in_trial"))


def test_the_president_approves_an_extension_from_the_inbox(page, live_server, world):
    db = live_server.db
    case_id = assigned_case(db, world)
    transitions.fire(db, actor_for(db, world.users["judge_a"].id), "cases", case_id, "request_extension",
                     {"length": "6m", "reason": "案情复杂，需补充鉴定"}, datetime.now(timezone.utc))
    with db.read() as s:
        request_id = s.exec(select(ExtensionRequest.id).where(ExtensionRequest.case_id == case_id)).one()
    login(page, live_server.base_url, "president", PASSWORD)
    page.goto(f"{live_server.base_url}/tasks")
    row = page.locator("#tasks tr.task").filter(has_text=NUMBER)
    row.get_by_role("link", name="打开").click()
    expect(page).to_have_url(f"{live_server.base_url}/s/extensions/{request_id}")
    expect(page.locator("#state")).to_have_text(state_word("extensions", "requested"))
    page.locator("form.action[data-event='approve']").get_by_role("button", name="批准").click()
    expect(page.locator("#state")).to_have_text(state_word("extensions", "approved"))

    page.goto(f"{live_server.base_url}/cases/{case_id}")
    expect(page.locator(f"#extensions tr[data-extension-id='{request_id}']")).to_contain_text(state_word("extensions", "approved"))
    expect(page.locator("#countdown")).to_have_text(f"剩余 {days_left_of(db, case_id)} 天")
