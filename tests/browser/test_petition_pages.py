"""Petition pages in chromium: the trial office registers and assigns, the handler answers from the
inbox, the case page lists the petition, and the board shows what is late by division."""
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from services.kernel.auth import actor_for
from services.kernel.clock import local_today
from services.cases.filing import CaseCreate, file_case
from services.petitions.registration import PetitionCreate, register_petition
from tests.browser.conftest import follow_nav, login, state_word
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NUMBER = "（2026）辽0102民初0088号"


def a_case(db, world) -> int:
    now = datetime.now(timezone.utc)
    return file_case(db, actor_for(db, world.users["filing"].id), CaseCreate(
        case_number=NUMBER, cause="买卖合同纠纷", procedure="civil-first-ordinary",
        division_id=world.divisions["hp_civil"].id, filed_on=local_today(now) - timedelta(days=10)), now)


def test_the_office_registers_and_assigns_and_the_handler_answers_from_the_inbox(page, live_server, world):
    base, db = live_server.base_url, live_server.db
    case_id = a_case(db, world)
    login(page, base, "office", PASSWORD)
    follow_nav(page, "信访", exact=True)
    page.locator("#register-petition").click()
    form = page.locator("#petition-form")
    form.locator("select[name=channel]").select_option("visit")
    form.locator("input[name=petitioner]").fill("孙某")
    form.locator("select[name=matter]").select_option("case_progress")
    form.locator("textarea[name=summary]").fill("立案已十日，请求尽快开庭")
    form.locator("input[name=case_number]").fill("（2026）辽0102民初0099号")
    form.locator("#register-button").click()
    expect(page.get_by_role("alert")).to_contain_text("没有案号为 （2026）辽0102民初0099号 的案件")
    expect(form.locator("input[name=petitioner]")).to_have_value("孙某")

    form.locator("input[name=case_number]").fill(NUMBER)
    form.locator("#register-button").click()
    expect(page.locator("#state")).to_have_text(state_word("petitions", "registered"))
    expect(page.locator("#petitioner")).to_have_text("孙某")
    assign = page.locator("form.action[data-event='assign']")
    assign.locator("select[name=division_id]").select_option(label="hp_civil")
    assign.locator("select[name=handler_user_id]").select_option(label="hp_civil · judge_b")
    assign.get_by_role("button", name="分办").click()
    expect(page.locator("#state")).to_have_text(state_word("petitions", "assigned"))
    expect(page.locator("#handler")).to_have_text("judge_b")

    page.context.clear_cookies()
    login(page, base, "judge_b", PASSWORD)
    page.locator("#tasks tr.task").filter(has_text="答复信访：孙某").get_by_role("link", name="打开").click()
    answer = page.locator("form.action[data-event='answer']")
    answer.locator("textarea[name=answer]").fill("案件已排期，将于下周开庭审理")
    answer.locator("select[name=delivery_method]").select_option(label="电话")
    answer.get_by_role("button", name="答复").click()
    expect(page.locator("#state")).to_have_text(state_word("petitions", "answered"))
    expect(page.locator("#answer")).to_have_text("案件已排期，将于下周开庭审理")

    page.goto(f"{base}/cases/{case_id}")
    expect(page.locator("#case-petitions")).to_contain_text("孙某")
    expect(page.locator("#case-petitions")).to_contain_text("已答复")


def test_the_board_shows_late_and_due_soon_petitions_by_division(page, live_server, world):
    db = live_server.db
    now = datetime.now(timezone.utc)
    office = actor_for(db, world.users["office"].id)
    for name, days_ago in (("逾期甲", 30), ("临期乙", 14), ("新件丙", 0)):
        register_petition(db, office, PetitionCreate(
            channel="letter", petitioner=name, summary="反映问题", court_id=world.courts["hp"].id,
            registered_on=local_today(now) - timedelta(days=days_ago)), now)
    login(page, live_server.base_url, "office", PASSWORD)
    page.goto(f"{live_server.base_url}/petitions")
    unassigned = page.locator("#petitions-by-division tr").filter(has_text="待分办")
    expect(unassigned.locator("td.open")).to_have_text("3")
    expect(unassigned.locator("td.late")).to_have_text("1")
    expect(page.locator("#petitions tr.petition.late")).to_contain_text("逾期甲")
    expect(page.locator("#petitions tr.petition.late td.due")).to_contain_text("逾期")
    expect(page.locator("#petition-counts")).to_contain_text("沈阳市和平区人民法院")
