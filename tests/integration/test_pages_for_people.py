"""Pages made for the people acting: facts stated right (a closed case is never overdue), exports from the session."""
import re

import pytest

from tests.case_helpers import act, designate, file
from tests.factories import small_world
from tests.integration.test_pages import page_login


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def test_a_withdrawn_case_long_past_its_deadline_shows_closed_not_overdue(any_db, world, client):
    case_id = file(any_db, world, number="（2024）辽0102民初7号", filed="2024-01-08")
    designate(any_db, world, case_id, day="2024-01-09")
    act(any_db, "judge_a", "cases", case_id, "withdraw", {"on": "2024-02-01", "ruling_ref": "（2024）辽0102民初7号之一"},
        day="2024-02-01")
    pending = file(any_db, world, number="（2024）辽0102民初8号", filed="2024-01-08")
    page_login(client, "chief")

    listing = client.get("/cases?state=all").text
    row = re.sub(r"<[^>]+>", " ", listing.split(f'data-case-id="{case_id}"')[1].split("</tr>")[0])  # its words
    assert "已结案" in row and "已超审限" not in row and "剩余" not in row
    still_open = listing.split(f'data-case-id="{pending}"')[1].split("</tr>")[0]
    assert "已超审限" in still_open  # a pending case past its deadline still says so
    page = client.get(f"/cases/{case_id}").text
    countdown = page.split('id="countdown">')[1].split("</dd>")[0]
    assert "已结案" in countdown and "已超审限" not in countdown


def test_the_dashboards_exports_download_in_the_logged_in_browser_session(any_db, world, client):
    page_login(client, "chief")
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    links = re.findall(r'href="(/dashboard/indicators\.(?:csv|xlsx)\?[^"]+)"', dashboard.text)
    assert len(links) == 2
    csv_answer, xlsx_answer = (client.get(link.replace("&amp;", "&")) for link in links)
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text.lstrip("\ufeff").startswith("层级,编号,名称")
    assert xlsx_answer.status_code == 200 and xlsx_answer.content[:2] == b"PK"  # a zip: the workbook
    client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', dashboard.text)[1]})
    assert client.get(links[0].replace("&amp;", "&")).status_code in (303, 307)  # logged out: to the login page


def _form_of(html: str, event: str) -> str:
    return html.split(f'data-event="{event}"')[1].split("</form>")[0]


def test_a_recusal_from_the_fast_track_teams_only_judge_is_approved_by_picking_a_judge_by_name(any_db, world, client):
    from sqlmodel import select

    from services.cases.assignment import verify_draws
    from store.models import AssignmentDraw, ReassignmentRequest, User

    with any_db.write() as s:  # judge_a is the fast-track team's only member: a simplified case goes to them
        judge_a = s.get(User, world.users["judge_a"].id)
        judge_a.team_id = world.teams["hp_fast"].id
        s.add(judge_a)
    case_id = file(any_db, world, number="（2025）辽0102民初9号", procedure="civil-first-simplified")
    act(any_db, "chief", "cases", case_id, "assign", {"method": "random"})
    act(any_db, "judge_a", "cases", case_id, "request_reassignment", {"reason_code": "回避", "reason": "与原告系同学"})
    with any_db.read() as s:
        request_id = s.exec(select(ReassignmentRequest.id)).one()

    page_login(client, "chief")
    page = client.get(f"/s/reassignments/{request_id}").text
    approve = _form_of(page, "approve")
    picks = dict(re.findall(r'<option value="(\d+)" >([^<]+)</option>', approve))
    assert set(picks) == {str(world.users[u].id) for u in ("judge_b", "judge_c", "chief", "english_judge")}
    assert picks[str(world.users["judge_b"].id)] == world.users["judge_b"].display_name  # by name, not by number
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    version = re.search(r'name="version" value="(\d+)"', approve)[1]
    answer = client.post(f"/s/reassignments/{request_id}/fire", data={
        "csrf_token": csrf, "event": "approve", "version": version, "to_judge_id": world.users["judge_b"].id,
        "note": "同意回避"})
    assert answer.status_code == 303

    with any_db.read() as s:
        assert s.get(ReassignmentRequest, request_id).state == "approved"
        draws = s.exec(select(AssignmentDraw).where(AssignmentDraw.case_id == case_id).order_by(AssignmentDraw.id)).all()
        picked = draws[-1]
        assert (picked.method, picked.result_judge_id, picked.approved_by) == (
            "reassignment", world.users["judge_b"].id, world.users["chief"].id)
        assert world.users["judge_a"].id not in picked.candidates and world.users["judge_b"].id in picked.candidates
        assert all(same for _, same in verify_draws(s, case_id))


def test_a_recusal_without_a_pick_is_a_fresh_reproducible_draw(any_db, world):
    from sqlmodel import select

    from services.cases.assignment import verify_draws
    from store.models import AssignmentDraw, ReassignmentRequest

    case_id = file(any_db, world, number="（2025）辽0102民初10号")
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "request_reassignment", {"reason_code": "回避", "reason": "与被告系亲属"})
    with any_db.read() as s:
        request_id = s.exec(select(ReassignmentRequest.id)).one()
    act(any_db, "chief", "reassignments", request_id, "approve", {"note": "同意"}, day="2025-01-08")
    with any_db.read() as s:
        drawn = s.exec(select(AssignmentDraw).where(AssignmentDraw.case_id == case_id)
                       .order_by(AssignmentDraw.id.desc())).first()
        assert drawn.method == "reassignment" and drawn.seed and world.users["judge_a"].id not in drawn.candidates
        assert all(same for _, same in verify_draws(s, case_id))


def test_bad_input_on_the_case_page_comes_back_to_the_case_page_next_to_the_field_with_the_input_kept(any_db, world,
                                                                                                     client):
    case_id = file(any_db, world, number="（2025）辽0102民初11号")
    designate(any_db, world, case_id)
    page_login(client, "judge_a")
    page = client.get(f"/cases/{case_id}").text
    form = _form_of(page, "request_reassignment")
    picks = re.findall(r'<option value="(\d+)" >([^<]+)</option>', form)
    assert world.users["judge_a"].display_name not in [name for _, name in picks]  # not to the judge leaving
    answer = client.post(f"/s/cases/{case_id}/fire", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1], "event": "request_reassignment",
        "version": re.search(r'name="version" value="(\d+)"', form)[1], "reason_code": "回避", "reason": "x",
        "to_judge_id": world.users["judge_b"].id})
    assert answer.status_code == 422
    again = _form_of(answer.text, "request_reassignment")
    assert 'id="case-number"' in answer.text  # the case page, not a generic dump
    field = again.split('name="reason"')[0].rsplit('<div class="field', 1)[1] + again.split('name="reason"')[1]
    assert "wrong" in field.split(">")[0] and 'class="field-error"' in field.split("</div>")[0]
    assert f'<option value="{world.users["judge_b"].id}" selected>' in again  # the pick kept
    assert '<option value="回避" selected>' in again


def test_the_extension_page_shows_the_case_the_deadlines_derivation_and_why_the_request_is_late(any_db, world, client):
    from sqlmodel import select

    from store.models import ExtensionRequest

    case_id = file(any_db, world, number="（2025）辽0102民初12号", filed="2025-01-06")  # 6 months: Sun 07-06 → Mon 07-07
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "start_trial", {}, day="2025-01-08")
    act(any_db, "judge_a", "cases", case_id, "request_extension", {"length": "6m", "reason": "鉴定尚未完成"},
        day="2025-06-30")
    with any_db.read() as s:
        request_id = s.exec(select(ExtensionRequest.id)).one()
    page_login(client, "president")
    html = client.get(f"/s/extensions/{request_id}").text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<main>")[1]))

    assert f'href="/cases/{case_id}"' in html and "（2025）辽0102民初12号" in text and "民间借贷纠纷" in text
    assert "立案日期 2025年1月6日" in text and "法定审限 + 六个月" in text and "计算截止日 2025年7月6日" in text
    assert "顺延至工作日 2025年7月7日" in text and "现审限届满日 2025年7月7日" in text
    assert "批准后审限届满日 2026年1月6日" in text and "延长期限 六个月" in text
    assert "应决定日期 2025年7月2日" in text  # 5 days before the deadline
    assert "申请应在审限届满 15 日前提出；本申请提出时距届满仅 7 日" in text
    assert not re.search(r"\b(case_id|requested_by|approver_court_id|True|False|None)\b", text)


def test_a_review_task_shows_its_list_and_a_serve_task_the_notice_text(any_db, world, client, now):
    from sqlmodel import select

    from services.kernel.tasks import open_task
    from store.models import Task

    overdue = file(any_db, world, number="（2024）辽0102民初3号", filed="2024-01-08")
    file(any_db, world, number="（2025）辽0102民初13号", filed="2025-02-20")  # not overdue: not on the list
    with any_db.write() as s:
        open_task(s, kind="review_list", title="审阅本庭超审限案件清单", subject_kind="tasks", subject_id=0,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                  assignee_role="division_chief", at=now, dedupe_key="review",
                  context={"list": {"division_id": world.divisions["hp_civil"].id, "days_left_max": -1}})
        review = s.exec(select(Task).where(Task.dedupe_key == "review")).one()
        review.subject_id = review.id
    page_login(client, "chief")
    html = client.get(f"/s/tasks/{review.id}").text
    listed = html.split('id="review-list"')[1].split("</section>")[0]
    assert f'href="/cases/{overdue}"' in listed and "（2025）辽0102民初13号" not in listed and "已超审限" in listed
    whole = re.search(r'href="([^"]+)" id="whole-list"', listed)[1].replace("&amp;", "&")
    assert "（2024）辽0102民初3号" in client.get(whole).text and "（2025）辽0102民初13号" not in client.get(whole).text

    case_id = file(any_db, world, number="（2025）辽0102民初14号")
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "request_reassignment", {"reason_code": "回避", "reason": "与原告系同学"})
    with any_db.read() as s:
        from store.models import ReassignmentRequest
        request_id = s.exec(select(ReassignmentRequest.id)).one()
    act(any_db, "chief", "reassignments", request_id, "approve", {"to_judge_id": world.users["judge_b"].id})
    with any_db.read() as s:
        serve = s.exec(select(Task).where(Task.kind == "serve_party_notice")).one()
    client.cookies.clear()
    page_login(client, "clerk_a")
    html = client.get(f"/s/tasks/{serve.id}").text
    notice = html.split('id="notice-text"')[1].split("</section>")[0]
    assert "因回避，本案承办法官变更为" in notice and world.users["judge_b"].display_name in notice


def test_the_header_search_lands_on_the_case_a_number_names_or_lists_the_matches(any_db, world, client):
    one = file(any_db, world, number="（2025）辽0102民初16号")
    file(any_db, world, number="（2025）辽0102民初160号")
    page_login(client, "chief")
    assert 'id="case-search"' in client.get("/tasks").text  # on every page's header
    for text in ("（2025）辽0102民初16号", "辽0102民初16", "0102民初16"):
        answer = client.get("/search", params={"q": text})
        assert (answer.status_code, answer.headers["location"]) == (303, f"/cases/{one}"), text
    listing = client.get("/search", params={"q": "辽0102民初"})
    assert listing.status_code == 200
    assert "（2025）辽0102民初16号" in listing.text and "（2025）辽0102民初160号" in listing.text
    assert "暂无案件" in client.get("/search", params={"q": "辽9999"}).text
    assert "暂无案件" in client.get("/search", params={"q": "%"}).text  # no wildcard: nothing is named %


def test_the_inbox_marks_counts_filters_and_sorts_by_due_date(any_db, world, client, now):
    from datetime import date

    from services.kernel.tasks import open_task

    def task(key, due, division="hp_civil", kind="review_list"):
        with any_db.write() as s:
            open_task(s, kind=kind, title=f"任务{key}", subject_kind="tasks", subject_id=1, court_id=world.courts["hp"].id,
                      division_id=world.divisions[division].id if division else None, assignee_role="division_chief",
                      due_on=due, at=now, dedupe_key=key)

    task("late", date(2025, 3, 1))      # today is 2025-03-03 in Shanghai: 2 days overdue
    task("soon", date(2025, 3, 5))      # within 3 days
    task("later", date(2025, 3, 20))
    task("court", date(2025, 3, 10), division=None, kind="schedule_interview")
    page_login(client, "chief")
    html = client.get("/tasks").text
    assert re.search(r'id="count-overdue">1<', html) and re.search(r'id="count-soon">1<', html)
    rows = re.findall(r'<tr class="task ([a-z ]*?)\s*" data-task-id="\d+">\s*<td[^>]*>[^<]*</td>\s*<td class="lead">(任务\w+)</td>',
                      html)
    assert [title for _, title in rows] == ["任务late", "任务soon", "任务court", "任务later"]
    assert dict((title, mark.strip()) for mark, title in rows) == {
        "任务late": "overdue", "任务soon": "soon", "任务court": "", "任务later": ""}
    assert "已逾期 2 天" in html and "还有 2 天" in html

    latest_first = client.get("/tasks", params={"order": "desc"}).text
    assert re.findall(r'<td class="lead">(任务\w+)</td>', latest_first) == ["任务later", "任务court", "任务soon", "任务late"]
    by_kind = client.get("/tasks", params={"kind": "schedule_interview"}).text
    assert re.findall(r'<td class="lead">(任务\w+)</td>', by_kind) == ["任务court"]
    by_division = client.get("/tasks", params={"place": f"d{world.divisions['hp_civil'].id}"}).text
    assert re.findall(r'<td class="lead">(任务\w+)</td>', by_division) == ["任务late", "任务soon", "任务later"]
