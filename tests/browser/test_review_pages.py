"""Quality review pages in chromium: the trial office's board and chart, the reviewer grading, the judge objecting."""
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from services.kernel import engine as transitions
from services.kernel.auth import actor_for
from services.kernel.clock import local_today
from services.quality_review.sampling import previous_month, sample_month
from tests.browser.conftest import follow_nav, login, state_word
from tests.factories import PASSWORD, add_user
from tests.review_helpers import closed_case, reviews

pytestmark = pytest.mark.browser


@pytest.fixture
def month(live_server, world):
    """Reviewers and the committee added to the world; three cases judge_a closed last month, sampled."""
    db, now = live_server.db, datetime.now(timezone.utc)
    with db.write() as s:
        add_user(s, world, "crim_judge", "hp", ["judge"], "hp_criminal", quota_judge=True)
        add_user(s, world, "committee_a", "hp", ["committee"])
    start, _, label = previous_month(local_today(now))
    for i in range(3):
        closed_case(db, world, f"（2026）辽0102民初{i + 1}号", "judge_a", (start + timedelta(days=i)).isoformat(),
                    filed=(start - timedelta(days=40)).isoformat())
    sample_month(db, local_today(now), now)
    return label


def fire(db, world, username, review_id, event, payload=None):
    transitions.fire(db, actor_for(db, world.users[username].id), "reviews", review_id, event, payload or {},
                     datetime.now(timezone.utc))


def test_the_office_draws_reviewers_and_sees_the_grade_chart(page, live_server, world, month):
    db = live_server.db
    login(page, live_server.base_url, "office", PASSWORD)
    follow_nav(page, "评查看板")
    expect(page.get_by_role("heading", level=1)).to_have_text("评查看板")
    [review] = reviews(db)
    row = page.locator(f"#reviews tr[data-review-id='{review.id}']")
    expect(row).to_have_attribute("data-state", "selected")
    page.locator("#assign-month button").click()
    expect(row).to_have_attribute("data-state", "assigned")
    reviewer = reviews(db)[0].reviewer_id
    assert reviewer in {world.users["crim_judge"].id, world.users["office"].id}
    if reviewer == world.users["office"].id:  # the office drew itself: hand the case to the criminal judge
        fire(db, world, "office", review.id, "assign", {"reviewer_id": world.users["crim_judge"].id})
    fire(db, world, "crim_judge", review.id, "start")
    fire(db, world, "crim_judge", review.id, "grade", {"grade": "major_flaw", "findings": "未依法送达"})
    page.goto(f"{live_server.base_url}/reviews?month={month}&grade=major_flaw")
    expect(page.locator("#reviews tr[data-review-id]")).to_have_count(1)
    bar = page.locator("#grade-chart g.bar-row[data-division='沈阳市和平区人民法院 · hp_civil']")
    expect(bar.locator("rect[data-grade='major_flaw']")).to_have_attribute("data-count", "1")


def test_the_reviewer_grades_from_their_work_page(page, live_server, world, month):
    db = live_server.db
    [review] = reviews(db)
    fire(db, world, "office", review.id, "assign", {"reviewer_id": world.users["crim_judge"].id})
    login(page, live_server.base_url, "crim_judge", PASSWORD)
    follow_nav(page, "我的评查")
    page.locator(f"#reviews tr[data-review-id='{review.id}']").get_by_role("link", name="办理").click()
    page.locator("form.action[data-event='start']").get_by_role("button").click()
    expect(page.locator("#state")).to_have_text(state_word("reviews", "reviewing"))
    form = page.locator("form.action[data-event='grade']")
    form.locator("select[name=grade]").select_option("flaw")
    form.locator("textarea[name=findings]").fill("判决书案由表述不规范\n送达地址确认书缺失")
    form.get_by_role("button").click()
    expect(page.locator("#state")).to_have_text(state_word("reviews", "graded"))
    assert reviews(db)[0].findings == ["判决书案由表述不规范", "送达地址确认书缺失"]


def test_the_judge_reads_the_feedback_and_objects(page, live_server, world, month):
    db = live_server.db
    [review] = reviews(db)
    fire(db, world, "office", review.id, "assign", {"reviewer_id": world.users["crim_judge"].id})
    fire(db, world, "crim_judge", review.id, "start")
    fire(db, world, "crim_judge", review.id, "grade", {"grade": "flaw", "findings": "庭审笔录未签名"})
    login(page, live_server.base_url, "judge_a", PASSWORD)
    follow_nav(page, "评查反馈")
    page.locator(f"#reviews tr[data-review-id='{review.id}']").get_by_role("link", name="办理").click()
    expect(page.locator("#feedback-grade")).to_have_text("瑕疵")
    expect(page.locator("#feedback-findings li")).to_have_text(["庭审笔录未签名"])
    page.locator("#objection-form textarea[name=reason]").fill("笔录已于闭庭当日补签")
    page.locator("#objection-form button").click()
    expect(page.locator("#state")).to_have_text(state_word("reviews", "objected"))
    expect(page.locator("#feedback-objection")).to_contain_text("笔录已于闭庭当日补签")
    expect(page.locator("#objection-form")).to_have_count(0)
    with page.expect_popup() as popup:
        page.locator("#print-link").click()
    expect(popup.value.locator("#document-title")).to_contain_text("案件质量评查反馈意见书")
