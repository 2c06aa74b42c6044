"""Assessment pages in chromium: the court dashboard with its charts and reference ranges, the path down
to a judge, rankings only when the policy turns them on, and a judge filing the month's explanation."""
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from i18n.words import period_words
from policies.deadline import add_months
from policies.periods import month_before
from services.assessment.monthly import run_monthly_assessment
from services.kernel.clock import local_today
from store.models import PolicyOverride
from tests.assessment_helpers import add_cases
from tests.browser.conftest import follow_nav, login, state_word
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def assessed(db, world) -> str:
    """judge_a closes two of four cases last month, judge_b none of two: judge_b missed the task."""
    today = local_today(datetime.now(timezone.utc))
    last = month_before(today)
    with db.write() as s:
        add_cases(s, world, "judge_a", 2, add_months(last.start, -3).isoformat(), closed=last.start.isoformat())
        add_cases(s, world, "judge_a", 2, add_months(last.start, -3).isoformat(), prefix="o")
        add_cases(s, world, "judge_b", 2, add_months(last.start, -3).isoformat())
    run_monthly_assessment(db, today, datetime.now(timezone.utc))
    return last.label


def test_the_trial_office_walks_from_the_court_dashboard_to_a_judge(page, live_server, world):
    period = assessed(live_server.db, world)
    login(page, live_server.base_url, "office", PASSWORD)
    follow_nav(page, "质效看板")
    expect(page.locator("#dashboard-title")).to_contain_text("沈阳市和平区人民法院")
    closure = page.locator("#indicators tr[data-indicator=closure_rate]")
    expect(closure).to_contain_text("结案率")
    expect(page.locator("#indicators tr[data-indicator=within_limit_rate]")).to_contain_text("95.0%")
    expect(page.locator("#chart-trend svg polyline")).to_have_count(2)
    expect(page.locator("#chart-distribution svg rect.ref-band")).to_have_count(1)
    expect(page.locator("#chart-ages svg rect.bar")).to_have_count(5)
    expect(page.locator("#ranking")).to_have_count(0)  # rankings are off by default
    page.locator("#children").get_by_role("link", name="hp_civil").click()
    expect(page.locator("#dashboard-title")).to_contain_text("hp_civil")
    page.locator("#children").get_by_role("link", name="judge_b").click()
    expect(page.locator("#records tbody tr")).to_have_count(1)
    expect(page.locator("#records tbody tr")).to_contain_text(period_words(period, "zh_CN"))
    expect(page.locator("#steps")).to_contain_text("书面说明及整改措施")


def test_rankings_show_only_where_the_policy_turns_them_on(page, live_server, world):
    assessed(live_server.db, world)
    with live_server.db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="assessment", data={"rankings": True}))
    login(page, live_server.base_url, "president", PASSWORD)
    page.goto(f"{live_server.base_url}/dashboard")
    expect(page.locator("#ranking tbody tr").last).to_contain_text("judge_b")  # the one who missed the task
    expect(page.locator("#ranking tbody tr")).to_have_count(5)


def test_a_judge_files_the_explanation_from_the_inbox_and_prints_the_dossier(page, live_server, world):
    assessed(live_server.db, world)
    login(page, live_server.base_url, "judge_b", PASSWORD)
    page.locator("#tasks tr").filter(has_text="提交书面说明及整改措施").get_by_role("link").first.click()
    form = page.locator("form[data-event=file_explanation]")
    form.get_by_label("未完成任务的原因").fill("上月两件案件均在鉴定中，无法结案")
    form.get_by_label("整改措施").fill("鉴定意见到达后一周内开庭")
    form.get_by_role("button", name="提交书面说明").click()
    expect(page.locator("#state")).to_have_text(state_word("ladder_steps", "filed"))
    page.goto(f"{live_server.base_url}/dossier/{world.users['judge_b'].id}/{local_today(datetime.now(timezone.utc)).year}")
    expect(page.locator("h1")).to_contain_text("年度考核档案")
