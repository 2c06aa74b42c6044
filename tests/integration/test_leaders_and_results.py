"""院庭长办案, the leaders' assignment rule, the courts' and divisions' targets, the rankings switch and
personnel's lists: a division chief below their share shows on the court page every user of the court
reads and in the chief's dossier."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from policies.periods import Period
from policies.registry import build
from services.assessment.indicators import indicator_report
from services.assessment.monthly import run_monthly_assessment
from services.cases.assignment import verify_draws
from services.kernel.dossier import dossier_entries
from services.kernel.errors import Refused
from store.models import LeaderCaseload, PolicyOverride, UnitResult
from tests.assessment_helpers import add_cases, moment
from tests.case_helpers import act, case_row, file
from tests.factories import add_user, small_world
from tests.integration.conftest import login
from tests.integration.test_pages import page_login


@pytest.fixture
def world(any_db):
    """March 2025: judge_a closed 4 cases, judge_b 2, judge_c and english_judge none (the judges' average
    is 1.5); the chief closed one simplified case (0.7), below half of the average (0.75)."""
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "personnel", "hp", ["personnel"])
        add_cases(s, world, "judge_a", 4, "2025-01-06", closed="2025-03-10")
        add_cases(s, world, "judge_b", 2, "2025-01-06", closed="2025-03-10")
        add_cases(s, world, "chief", 1, "2025-01-06", closed="2025-03-10", procedure="civil-first-simplified")
    run_monthly_assessment(any_db, date(2025, 4, 1), moment(date(2025, 4, 1)))
    return world


def test_a_chief_below_their_share_shows_on_the_court_page_and_in_their_dossier(any_db, world, client):
    chief = world.users["chief"].id
    with any_db.read() as s:
        rows = {r.user_id: r for r in s.exec(select(LeaderCaseload).where(LeaderCaseload.period == "2025-03")).all()}
        entries = dossier_entries(s, chief, 2025)
    mine = rows[chief]
    assert (mine.role, mine.share, mine.average, mine.required, mine.own, mine.met) == (
        "division_chief", 0.5, 1.5, 0.75, 0.7, False)
    assert (rows[world.users["president"].id].required, rows[world.users["vp"].id].required) == (0.075, 0.45)
    assert "2025-03 院庭长办案：低于办案要求" in [e.title for e in entries]

    assert page_login(client, "clerk_a").status_code == 303  # any user of the court reads the page
    html = client.get("/leaders").text
    row = html.split(f'data-user="{chief}"')[1].split("</tr>")[0]
    assert "庭长" in row and "0.70" in row and "0.75" in row and "低于办案要求" in row
    api = client.get("/api/v1/leader-caseloads", headers=login(client, "clerk_a")).json()
    assert {(x["user_id"], x["met"]) for x in api["leaders"]} >= {(chief, False)}
    other = client.get(f"/api/v1/leader-caseloads?court_id={world.courts['hp'].id}",
                       headers=login(client, "judge_sh"))
    assert other.status_code == 404  # another court's page is not theirs
    assert page_login(client, "president").status_code == 303
    assert "低于办案要求" in client.get("/dashboard").text  # and on the court's and the chief's dashboards
    assert "低于办案要求" in client.get(f"/dashboard/judge/{chief}").text


def test_a_major_case_is_drawn_among_the_leaders_reproducibly(any_db, world):
    case_id = file(any_db, world, number="（2025）辽0102民初900号", filed="2025-04-02")
    with pytest.raises(Refused, match="a case goes to the leaders for one of: 重大, 疑难, 复杂, 四类案件"):
        act(any_db, "filing", "cases", case_id, "assign", {"method": "leader", "reason": "标的大"})
    act(any_db, "filing", "cases", case_id, "assign", {"method": "leader", "reason": "重大"})
    with any_db.read() as s:
        [(draw, same), *panel] = verify_draws(s, case_id)  # the lead's draw, then the panel's (a 合议庭 procedure)
    leaders = sorted(world.users[n].id for n in ("chief", "vp", "president"))
    assert (draw.method, draw.candidates, draw.reason, same) == ("leader", leaders, "重大", True)
    assert all(ok and d.method == "panel" for d, ok in panel)
    assert case_row(any_db, case_id).lead_judge_id in leaders


def test_a_four_type_case_goes_to_the_leaders_by_the_ordinary_assignment(any_db, world):
    """Flagged at filing (category 1, 涉黑) and assigned the ordinary way: drawn among the leaders with the
    policy's reason; an ordinary case filed the same day still goes to the division's quota judges."""
    flagged = file(any_db, world, number="（2025）辽0102民初901号", filed="2025-04-02", cause="涉黑财产纠纷")
    ordinary = file(any_db, world, number="（2025）辽0102民初902号", filed="2025-04-02")
    for case_id in (flagged, ordinary):
        act(any_db, "filing", "cases", case_id, "assign", {}, day="2025-04-02")
    with any_db.read() as s:
        (to_leader, same), *_ = verify_draws(s, flagged)  # the lead's draw first, then the panel's
        (to_judge, _), *_ = verify_draws(s, ordinary)
    leaders = sorted(world.users[n].id for n in ("chief", "vp", "president"))
    assert (to_leader.method, to_leader.candidates, to_leader.reason, same) == ("leader", leaders, "四类案件", True)
    assert case_row(any_db, flagged).lead_judge_id in leaders
    assert to_judge.method == "random" and not set(to_judge.candidates) & {world.users["vp"].id,
                                                                          world.users["president"].id}


def test_targets_are_recorded_and_rankings_stay_off_until_the_policy_turns_them_on(any_db, world, client):
    with any_db.read() as s:
        civil = s.exec(select(UnitResult).where(UnitResult.level == "division",
                                                UnitResult.unit_id == world.divisions["hp_civil"].id)).one()
    assert civil.period == "2025-03" and civil.detail["closure_task"]["met"] is True
    with any_db.read() as s:  # the same values as the indicators of the division's month
        report = indicator_report(s, Period.parse("2025-03"), build("indicators"), [world.courts["hp"].id], ("division",))
    division = next(u for u in report["units"] if u["id"] == world.divisions["hp_civil"].id)
    assert {n: civil.detail[n]["value"] for n in civil.detail if n != "closure_task"} == {
        n: division["indicators"][n]["value"] for n in civil.detail if n != "closure_task"}
    assert civil.targets == civil.targets_met + sum(d["met"] is False for d in civil.detail.values())
    headers = login(client, "president")
    units = client.get("/api/v1/unit-results", headers=headers).json()["units"]
    assert {(u["level"], u["id"]) for u in units} >= {("court", world.courts["hp"].id),
                                                      ("division", world.divisions["hp_civil"].id)}
    off = client.get("/api/v1/rankings", headers=headers)
    assert off.status_code == 409 and "rankings are switched off" in off.text
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="assessment", data={"rankings": True}))
    on = client.get("/api/v1/rankings", headers=headers).json()
    assert [d["name"] for d in on["divisions"]][:1] and on["judges"][0]["user_id"] != world.users["clerk_a"].id


def test_personnel_lists_link_each_entry_to_the_dossier_and_export_to_excel(any_db, world, client):
    headers = login(client, "personnel")
    lists = client.get("/api/v1/result-lists?period=2025-03", headers=headers).json()["lists"]
    interview = {e["user_id"]: e for e in lists["interview"]}
    clerk = world.users["clerk_a"].id
    assert interview[clerk]["scheme"] == "clerk" and interview[clerk]["dossier"] == f"/dossier/{clerk}/2025"
    assert clerk not in {e["user_id"] for e in lists["award"]}
    award = {e["user_id"]: e for e in lists["award"]}
    assert award[world.users["judge_a"].id]["score"] >= 90 and world.users["judge_a"].id in {
        e["user_id"] for e in lists["promotion"]}
    assert client.get("/api/v1/result-lists?period=2025-03", headers=login(client, "judge_a")).status_code == 404
    book = load_workbook(io.BytesIO(client.get("/api/v1/result-lists.xlsx?period=2025-03", headers=headers).content))
    sheet = book["约谈提醒对象"]
    names = {row[0].value: row[8].hyperlink.target for row in sheet.iter_rows(min_row=2)}
    assert names["clerk_a"].endswith(f"/dossier/{clerk}/2025")


def test_the_pages_show_the_targets_the_lists_and_a_persons_items(any_db, world, client):
    assert page_login(client, "personnel").status_code == 303
    html = client.get("/results?period=2025-03").text
    assert 'id="unit-results"' in html and 'id="list-interview"' in html and 'id="lists-xlsx"' in html
    assert f'href="/dossier/{world.users["clerk_a"].id}/2025"' in html
    assert page_login(client, "clerk_a").status_code == 303
    assert client.get("/assessment/me").headers["location"] == f"/assessment/person/{world.users['clerk_a'].id}/2025"
    mine = client.get(f"/assessment/person/{world.users['clerk_a'].id}/2025")
    assert mine.status_code == 200 and "2025年3月" in mine.text and "书记员" in mine.text
    results = client.get("/results?period=2025-03").text
    assert 'id="unit-results"' in results and 'id="list-interview"' not in results  # the lists are personnel's
    assert client.get(f"/assessment/person/{world.users['judge_a'].id}/2025").status_code == 404


def test_a_chief_evaluates_and_enters_an_item_from_the_persons_page(any_db, world, client):
    clerk = world.users["clerk_a"].id
    assert page_login(client, "chief").status_code == 303
    page = client.get(f"/assessment/person/{clerk}/2025").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post(f"/assessment/person/{clerk}/evaluations",
                       data={"csrf_token": token, "kind": "comprehensive", "period": "2025-04", "score": "85"})
    assert done.status_code == 303
    again = client.post(f"/assessment/person/{clerk}/evaluations",  # March is assessed: refused on the page
                         data={"csrf_token": token, "kind": "comprehensive", "period": "2025-03", "score": "85"})
    assert again.status_code == 409 and "2025-03 已完成考核，评价不能再修改" in again.text
    item = client.post(f"/assessment/person/{clerk}/items", data={
        "csrf_token": token, "code": "model_case", "occurred_on": "2025-03-01", "reason": "庭审记录入选示范庭审",
        "evidence": "示范庭审通知"})
    assert item.status_code == 303 and item.headers["location"].startswith("/s/score_items/")
    bad = client.post(f"/assessment/person/{clerk}/items", data={"csrf_token": token, "code": "model_case"})
    error = bad.text.split('id="form-error">')[1].split("</p>")[0]
    assert bad.status_code == 422 and "发生日期" in error and "occurred_on" not in error  # the field's word, not its name
