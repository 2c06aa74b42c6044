"""Supervision pages in chromium: the supervisor's board, a measure, 阅核 from the board, the committee on the case page."""
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.kernel import engine as transitions
from services.kernel.auth import actor_for
from services.kernel.clock import local_today
from services.cases.filing import CaseCreate, file_case
from services.supervision.draft_reviews import DraftCreate, submit_draft
from store.models import CommitteeReferral, DraftReview, Supervision
from tests.browser.conftest import follow_nav, login, state_word
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NUMBER = "（2026）辽0102民初0077号"


def group_case(db, world) -> int:
    """A 12-party dispute filed 10 days ago (flagged at filing), assigned to judge_a, hearing held."""
    now = datetime.now(timezone.utc)
    case_id = file_case(db, actor_for(db, world.users["filing"].id), CaseCreate(
        case_number=NUMBER, cause="劳动争议", procedure="civil-first-ordinary", party_count=12,
        division_id=world.divisions["hp_civil"].id, filed_on=local_today(now) - timedelta(days=10)), now)
    fire = lambda who, kind, sid, event, payload: transitions.fire(  # noqa: E731
        db, actor_for(db, world.users[who].id), kind, sid, event, payload, now)
    fire("chief", "cases", case_id, "assign", {"method": "designated", "judge_id": world.users["judge_a"].id,
                                              "reason": "专业对口"})
    fire("judge_a", "cases", case_id, "hold_hearing", {})
    return case_id


def test_the_chief_finds_the_flagged_case_on_the_board_and_records_reading_the_file(page, live_server, world):
    case_id = group_case(live_server.db, world)
    login(page, live_server.base_url, "chief", PASSWORD)
    follow_nav(page, "督办看板")
    row = page.locator(f"#board-flagged tr[data-case-id='{case_id}']")
    expect(row).to_contain_text(NUMBER)
    expect(row).to_contain_text("2")
    row.get_by_role("link", name=state_word("supervisions", "flagged")).click()
    page.locator("form.action[data-event='read_file'] textarea[name=note]").fill("已调阅全部卷宗")
    page.locator("form.action[data-event='read_file']").get_by_role("button", name="查阅卷宗").click()
    expect(page.locator(".flash.ok")).to_contain_text("查阅卷宗")
    page.goto(f"{live_server.base_url}/cases/{case_id}")
    expect(page.locator("#four-type-flags")).to_contain_text("当事人12人")
    expect(page.locator("#measures")).to_contain_text("已调阅全部卷宗")


def test_a_draft_submitted_on_the_case_page_reaches_the_chiefs_board_and_is_approved(page, live_server, world):
    case_id = group_case(live_server.db, world)
    login(page, live_server.base_url, "judge_a", PASSWORD)
    page.goto(f"{live_server.base_url}/cases/{case_id}")
    page.locator("#draft-form textarea[name=outcome]").fill("支付加班费12万元")
    page.locator("#draft-form").get_by_role("button", name="提交文书阅核").click()
    expect(page.locator("#drafts")).to_contain_text(state_word("drafts", "in_review"))
    page.context.clear_cookies()
    login(page, live_server.base_url, "chief", PASSWORD)
    page.goto(f"{live_server.base_url}/supervision")
    page.locator("#board-drafts tr").get_by_role("link", name=NUMBER).click()
    expect(page.locator("form.action[data-event='resubmit']")).to_have_count(0)   # no way to edit the outcome
    page.locator("form.action[data-event='approve']").get_by_role("button", name="阅核同意").click()
    expect(page.locator(".flash.ok")).to_contain_text("阅核同意")
    with live_server.db.read() as s:
        draft = s.exec(select(DraftReview)).one()
    assert (draft.step, draft.outcome) == (1, "支付加班费12万元")                    # now with the vice president
    page.goto(f"{live_server.base_url}/supervision")
    expect(page.locator("#board-drafts")).to_contain_text("无")


def test_the_case_page_shows_the_committees_binding_decision(page, live_server, world):
    db, now = live_server.db, datetime.now(timezone.utc)
    case_id = group_case(db, world)
    with db.read() as s:
        sup_id = s.exec(select(Supervision.id)).one()
    president = actor_for(db, world.users["president"].id)
    transitions.fire(db, president, "supervisions", sup_id, "refer_to_committee", {"question": "是否支持加班费"}, now)
    with db.read() as s:
        referral_id = s.exec(select(CommitteeReferral.id)).one()
    transitions.fire(db, president, "committee_referrals", referral_id, "record_decision",
                     {"decision": "支持加班费请求", "reasons": "劳动合同法第三十一条", "participants": "president；vp"}, now)
    submit_draft(db, actor_for(db, world.users["judge_a"].id), case_id,
                 DraftCreate(document_kind="判决书", outcome="支持加班费请求"), now)
    login(page, live_server.base_url, "judge_a", PASSWORD)
    page.goto(f"{live_server.base_url}/cases/{case_id}")
    expect(page.locator("#committee .committee-decision")).to_contain_text("支持加班费请求")
    expect(page.locator("#committee")).to_contain_text("随裁判文书公开")
    page.locator("form.action[data-event='decide'] input[name=decided_on]").fill(local_today(now).isoformat())
    page.locator("form.action[data-event='decide']").get_by_role("button", name="宣判/裁判").click()
    expect(page.locator(".flash.error")).to_contain_text("阅核")                   # the draft is still in review
    expect(page.locator("#state")).to_have_text(state_word("cases", "in_trial"))
