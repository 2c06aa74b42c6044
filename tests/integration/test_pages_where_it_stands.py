"""Where a subject stands (its machine's steps, the path taken, the state it is in), the court process map,
the navigation by job, the kept weekly notices, and Chinese data marked as such on English pages."""
import re
from datetime import date, datetime, timezone

import pytest

from services.assessment.reports import weekly_notice
from tests.browser.conftest import state_word
from tests.case_helpers import designate, file
from tests.factories import small_world
from tests.integration.test_pages import page_login

NUMBER = "（2025）辽0102民初1号"


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def _steps(html: str) -> list[tuple[str, str]]:
    """(classes, words) of each step of the page's first process list."""
    listing = html.split('<ol class="process"')[1].split("</ol>")[0]
    return [(cls, re.sub(r"<[^>]+>", "", words).strip())
            for cls, words in re.findall(r'<li class="step ([^"]*)"[^>]*>(.*?)</li>', listing, re.S)]


def test_a_case_page_draws_its_machine_with_the_path_taken_and_where_it_stands(any_db, world, client):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    page_login(client, "chief")
    html = client.get(f"/cases/{case_id}").text
    steps = dict((words.replace("（当前所处）", "").replace("（已经过）", ""), cls) for cls, words in _steps(html))
    assert steps[state_word("cases", "assigned")].startswith("current")
    assert steps[state_word("cases", "filed")].startswith("passed")
    assert steps[state_word("cases", "in_trial")].strip() == ""  # not reached yet
    assert 'aria-current="step"' in html
    following = html.split('id="process-next">')[1].split("</p>")[0]
    assert state_word("cases", "in_trial") in following
    assert not re.search(r">\s*[a-z]+_[a-z_]+\s*<", html.split('id="process"')[1].split("</section>")[0])  # no raw codes


def test_the_process_map_counts_the_cases_in_each_state_and_links_to_them(any_db, world, client):
    designate(any_db, world, file(any_db, world))
    file(any_db, world, number="（2025）辽0102民初2号")
    page_login(client, "chief")
    html = client.get("/process").text
    cases = html.split('id="map-cases"')[1].split("</section>")[0]
    assert re.search(r'href="/cases\?state=assigned">[^<]*<strong class="count">1</strong>', cases)
    assert re.search(r'href="/cases\?state=filed">[^<]*<strong class="count">1</strong>', cases)
    assert 'data-state="archived">' in cases and "tasks" not in html.split("<main>")[1].split("map-")[0]


def test_the_navigation_is_four_menus_by_job_showing_each_person_only_their_links(any_db, world, client):
    page_login(client, "chief")
    html = client.get("/tasks").text
    menus = re.findall(r'<details class="menu" name="nav" id="menu-(\w+)">\s*<summary>([^<]+)</summary>', html)
    assert [words for _, words in menus][:3] == ["办案", "审批与督办", "质效与考核"]
    assert 'href="/process"' in html and 'href="/reports"' in html
    page_login(client, "judge_a")
    assert 'href="/reports"' not in client.get("/tasks").text  # a judge has no kept reports to read


def test_the_kept_weekly_notice_is_listed_for_the_court_and_opens_as_its_document(any_db, world, client):
    now = datetime(2025, 3, 12, 2, tzinfo=timezone.utc)
    with any_db.write() as session:
        weekly_notice(session, date(2025, 3, 12), now)
    page_login(client, "chief")
    listing = client.get("/reports?kind=weekly_notice")
    assert listing.status_code == 200
    row = listing.text.split("<tbody>")[1].split("</tr>")[0]
    assert "周通报" in row and "2025-W10" in row
    document = client.get(re.search(r'href="(/reports/\d+)"', row)[1])
    assert document.status_code == 200 and "周通报" in document.text
    assert "尚无通报" in client.get("/reports?kind=quarterly_report").text


def test_an_english_page_marks_the_courts_chinese_data_and_leaves_attributes_and_titles_plain(any_db, world, client):
    case_id = file(any_db, world)
    page_login(client, "chief")
    client.get("/lang/en?next=/tasks")
    html = client.get(f"/cases/{case_id}").text
    assert f'<span lang="zh-CN">{NUMBER}</span>' in html
    assert '<span lang="zh-CN">民间借贷纠纷</span>' in html
    assert "\ue000" not in html and "\ue001" not in html
    assert not re.search(r'="[^"]*<span', html)  # never inside an attribute
    title = html.split("<title>")[1].split("</title>")[0]
    assert "<span" not in title
    assert "<span" not in client.get("/search?q=辽9999民").text.split('id="case-search-q"')[1].split(">")[0]


def test_a_ladder_step_page_shows_the_ladders_rungs_with_this_one_marked(any_db, client):
    from sqlmodel import select

    from services.assessment.monthly import run_monthly_assessment
    from store.models import LadderStep
    from tests.assessment_helpers import add_cases, moment

    world = small_world(any_db)
    with any_db.write() as s:
        add_cases(s, world, "judge_a", 2, "2024-11-06", prefix="o")
    run_monthly_assessment(any_db, date(2025, 2, 1), moment(date(2025, 2, 1)))  # January missed
    with any_db.read() as s:
        step_id = s.exec(select(LadderStep.id).where(LadderStep.user_id == world.users["judge_a"].id)).first()
    page_login(client, "judge_a")
    html = client.get(f"/s/ladder_steps/{step_id}").text
    ladder = html.split('id="ladder"')[1].split("</section>")[0]
    rungs = re.findall(r'<li class="step ([^"]*)" data-step="(\w+)"', ladder)
    assert rungs[0] == ("current", "explanation") and [m for m, _ in rungs[1:]] == [""] * (len(rungs) - 1)
    assert "书面说明及整改措施" in ladder and "连续1个月未完成任务" in ladder and "连续3个月未完成任务" in ladder


def test_the_result_lists_download_in_the_logged_in_browser_session(any_db, world, client):
    page_login(client, "office")  # the trial office reads the court's result lists
    html = client.get("/results?period=2025-03").text
    link = re.search(r'id="lists-xlsx" href="([^"]+)"', html)[1]
    assert link.startswith("/results/lists.xlsx?")
    answer = client.get(link.replace("&amp;", "&"))
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    page_login(client, "judge_a")
    assert client.get(link.replace("&amp;", "&")).status_code == 404  # a judge reads no lists


def test_a_meeting_page_shows_who_has_spoken_and_the_views_only_once_all_have(any_db, world, client):
    from tests.case_helpers import act
    from tests.supervision_helpers import flagged_case, meeting, supervision_of

    case_id = flagged_case(any_db, world)
    act(any_db, "vp", "supervisions", supervision_of(any_db, case_id).id, "refer_to_meeting",
        {"question": "加班费计算基数", "options": "按合同约定；按实际工资"}, "2025-02-01")
    m = meeting(any_db, case_id)
    act(any_db, "judge_b", "meetings", m.id, "give_opinion", {"view": "按实际工资", "reasoning": "劳动合同法"}, "2025-02-05")
    page_login(client, "chief")
    section = client.get(f"/s/meetings/{m.id}").text.split('id="meeting-members"')[1].split("</section>")[0]
    assert section.count("<tr>") == 5 and section.count("尚未发表") == 3 and "劳动合同法" not in section
    for who in ("judge_c", "chief", "english_judge"):
        act(any_db, who, "meetings", m.id, "give_opinion", {"view": "按合同约定", "reasoning": "略"}, "2025-02-06")
    section = client.get(f"/s/meetings/{m.id}").text.split('id="meeting-members"')[1].split("</section>")[0]
    assert "尚未发表" not in section and "劳动合同法" in section and "按合同约定" in section


def test_a_subject_out_of_reach_answers_a_page_in_the_readers_language_not_a_json_dump(any_db, world, client):
    page_login(client, "chief")
    answer = client.get("/s/ladder_steps/999999", headers={"accept": "text/html"})
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "未找到" in answer.text and 'id="error-message"' in answer.text and '"code"' not in answer.text
    assert client.get("/api/v1/ladder_steps/999999").headers["content-type"].startswith("application/json")
