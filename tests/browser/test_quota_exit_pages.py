"""Quota exit in chromium: the judge files a statement and an evidence file on their proceeding page;
a committee member reviews every submission and decides; personnel's board shows it."""
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.kernel import engine as transitions
from services.kernel.auth import actor_for
from services.quota_exit.proceedings import open_exit_proceeding
from store.config import get_settings
from store.models import ExitSubmission
import i18n
from tests.browser.conftest import login, state_word
from tests.exit_helpers import PDF
from tests.factories import PASSWORD, add_user

pytestmark = pytest.mark.browser


@pytest.fixture
def proceeding_id(live_server, world, tmp_path, monkeypatch):
    """An assessment exit of judge_a, notified and acknowledged today: the statement period is running."""
    monkeypatch.setenv("COURTFLOW_EVIDENCE_DIR", str(tmp_path / "evidence"))
    get_settings.cache_clear()
    db, now = live_server.db, datetime.now(timezone.utc)
    with db.write() as s:
        for name, role in (("hr", "personnel"), ("committee_a", "committee")):
            add_user(s, world, name, "hp", [role])
    with db.write() as s:
        pid = open_exit_proceeding(s, judge_id=world.users["judge_a"].id, ground="assessment_failure",
                                   grounds_text="连续两年未完成办案任务", opened_by=actor_for(db, world.users["hr"].id),
                                   now=now, source="browser")
    transitions.fire(db, actor_for(db, world.users["hr"].id), "exit_proceedings", pid, "notify", {}, now)
    transitions.fire(db, actor_for(db, world.users["judge_a"].id), "exit_proceedings", pid, "acknowledge", {}, now)
    yield pid
    get_settings.cache_clear()


def test_the_judge_files_a_statement_with_evidence_and_a_committee_member_decides(page, live_server, proceeding_id,
                                                                                   tmp_path):
    base, pid = live_server.base_url, proceeding_id
    login(page, base, "judge_a", PASSWORD)
    page.locator("#tasks tr.task").filter(has_text="陈述、举证、申辩").get_by_role("link", name="打开").click()
    expect(page).to_have_url(f"{base}/s/exit_proceedings/{pid}")
    expect(page.locator("#state")).to_have_text(state_word("exit_proceedings", "statement_period"))
    expect(page.locator("#grounds-text")).to_have_text("连续两年未完成办案任务")
    expect(page.locator("#countdown")).to_contain_text("剩余")

    statement = page.locator("form.action[data-event='file_statement']")
    statement.locator("textarea[name=text]").fill("2024年承办重大案件，工作量未完整计入。")
    statement.get_by_role("button", name="提交陈述申辩意见").click()
    expect(page.locator("#submissions tr[data-kind='statement']")).to_contain_text("工作量未完整计入")

    evidence = tmp_path / "办案量统计.pdf"
    evidence.write_bytes(PDF)
    upload = page.locator("form.action[data-event='add_evidence']")
    upload.locator("input[type=file]").set_input_files(str(evidence))
    upload.locator("textarea[name=description]").fill("2024年办案量统计")
    upload.get_by_role("button", name="提交证据材料").click()
    row = page.locator("#submissions tr[data-kind='evidence']")
    expect(row).to_contain_text("办案量统计.pdf")
    with live_server.db.read() as s:
        sha = s.exec(select(ExitSubmission.sha256).where(ExitSubmission.kind == "evidence")).one()
    expect(row.locator("code.sha")).to_have_text(sha)

    bad = tmp_path / "伪装.pdf"
    bad.write_bytes(b"not a pdf at all")
    upload = page.locator("form.action[data-event='add_evidence']")
    upload.locator("input[type=file]").set_input_files(str(bad))
    upload.get_by_role("button", name="提交证据材料").click()
    expect(page.locator(".flash.error")).to_contain_text("文件类型与内容不符")
    expect(page.locator("#submissions tr[data-kind='evidence']")).to_have_count(1)

    page.locator("form.action[data-event='waive']").get_by_role("button", name="放弃陈述申辩").click()
    expect(page.locator("#windows tr[data-window='statement']")).to_contain_text(i18n.label("window_state", "waived", "zh_CN"))

    page.context.clear_cookies()
    login(page, base, "committee_a", PASSWORD)
    page.goto(f"{base}/exits")
    expect(page.locator(f"#exits tr[data-exit-id='{pid}']")).to_contain_text(state_word("exit_proceedings", "statement_period"))
    page.goto(f"{base}/exits/{pid}/review")
    page.locator("form.action[data-event='start_review']").get_by_role("button", name="开始审议").click()
    expect(page.locator("#state")).to_have_text(state_word("exit_proceedings", "committee_review"))
    submissions = page.locator("#all-submissions tr.submission")
    expect(submissions).to_have_count(3)                         # statement, evidence, waiver
    expect(submissions.filter(has_text="办案量统计.pdf")).to_contain_text("已附卷")
    decide = page.locator("form.action[data-event='decide']")
    decide.locator("select[name=outcome]").select_option("exit")
    decide.locator("textarea[name=reason]").fill("连续两年未完成办案任务，陈述理由不成立")
    decide.get_by_role("button", name="作出决定").click()
    expect(page.locator("#state")).to_have_text(state_word("exit_proceedings", "decided"))
    expect(page.locator("#exit-outcome")).to_have_text("退出员额")
    expect(page.locator("#documents li[data-document='decision']")).to_contain_text("员额退出决定书")
