"""三个规定 on SQLite and PostgreSQL: a judge records an inquiry or interference; inspection or the trial office
reads it, the person named and everyone under them never do, and that person can no longer supervise or review
the case; each judge reports monthly (the records, or a zero report); each court's quarter goes up; an edited
record is caught by `courtflow trace verify`."""
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select, text

from services.integrity.payloads import RecordInterference
from services.integrity.readers import readable
from services.integrity.records import record_interference
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.sweeps import run_daily_monitor
from store.models import InterferenceReport, InterferenceSummary, Notice, Task
from tests import append_only
from tests.case_helpers import act, actor, at
from tests.factories import add_user
from tests.review_helpers import closed_case, review_of, review_world, reviews, sample
from tests.supervision_helpers import file_with


@pytest.fixture
def world(any_db):
    world = review_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "mid_vp", "mid", ["vice_president"], subtree=True)  # 中院分管副院长, reaching down
        add_user(s, world, "high_office", "high", ["trial_office"])
        add_user(s, world, "high_inspector", "high", ["inspection"])
    return world


def record(db, world, case_id, *, by="judge_a", person="mid_vp", source="outside", day="2025-02-12", **extra) -> int:
    body = RecordInterference(case_id=case_id, source=source, person_name=person, person_post="副院长",
                              person_org="沈阳市中级人民法院", person_user_id=world.users[person].id,
                              occurred_on=date.fromisoformat(day), manner="phone",
                              asked="询问案件何时判决，希望从轻", response="告知依法审理，已如实记录", **extra)
    return record_interference(db, actor(db, by), body, at(day))


def readers_of(db, world, record_id) -> set[str]:
    seen = set()
    for name in world.users:
        with db.read() as s:
            if record_id in {r.id for r in readable(s, actor(db, name))}:
                seen.add(name)
    return seen


def supervised_case(db, world) -> int:
    case_id = file_with(db, world, "（2025）辽0102民初9号", party_count=12)  # 群体性纠纷: flagged at filing
    act(db, "chief", "cases", case_id, "assign",
        {"method": "designated", "judge_id": world.users["judge_a"].id, "reason": "专业审判团队"}, "2025-01-07")
    return case_id


def supervision_id(db, case_id) -> int:
    from store.models import Supervision

    with db.read() as s:
        return s.exec(select(Supervision.id).where(Supervision.case_id == case_id)).one()


# --- the records, who reads them, and who may no longer act on the case -------------------------------

def test_an_outside_inquiry_is_read_by_the_trial_office_never_by_the_person_or_those_under_them(any_db, world):
    case_id = supervised_case(any_db, world)
    record_id = record(any_db, world, case_id)

    # the trial offices of the court and of the intermediate court are under the person named (a vice president
    # whose grant reaches down the tree), so the record goes up to the high court's trial office; the person
    # named, inspection and colleagues never read it
    assert readers_of(any_db, world, record_id) == {"judge_a", "high_office"}
    with any_db.read() as s:
        [row] = readable(s, actor(any_db, "high_office"))
    assert (row.recorded_by, row.person_user_id, row.source) == (world.users["judge_a"].id, world.users["mid_vp"].id,
                                                                 "outside")


def test_the_person_named_can_no_longer_supervise_the_case_while_others_still_can(any_db, world):
    case_id = supervised_case(any_db, world)
    sup = supervision_id(any_db, case_id)
    act(any_db, "mid_vp", "supervisions", sup, "read_file", {"note": "调卷"}, "2025-02-10")  # before the record: may
    record(any_db, world, case_id)

    with pytest.raises(Refused, match=r"you are named in an interference record on this case \(三个规定\)"):
        act(any_db, "mid_vp", "supervisions", sup, "read_file", {"note": "再次调卷"}, "2025-02-13")
    act(any_db, "vp", "supervisions", sup, "read_file", {"note": "调卷"}, "2025-02-13")


def test_an_insiders_inquiry_goes_to_inspection_and_its_person_is_never_drawn_as_reviewer(any_db, world):
    case_id = closed_case(any_db, world, "（2025）辽0102民初7号", "judge_a", "2025-02-10")
    sample(any_db)
    review_id = review_of(any_db, case_id).id
    record_id = record(any_db, world, case_id, person="crim_judge", source="inside", day="2025-02-20")

    assert readers_of(any_db, world, record_id) == {"judge_a", "inspector", "high_inspector"}
    with pytest.raises(Refused, match=r"named in an interference record on this case \(三个规定\)"):
        act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id},
            "2025-03-03")
    act(any_db, "office", "reviews", review_id, "assign", {}, "2025-03-03")
    assert reviews(any_db)[0].reviewer_id == world.users["office"].id  # the only one left to draw


def test_a_record_is_refused_for_a_case_one_cannot_see_a_future_day_or_oneself(any_db, world):
    case_id = supervised_case(any_db, world)
    with pytest.raises(NotFound):
        record(any_db, world, case_id, by="judge_sh")
    with pytest.raises(Invalid, match="is in the future"):
        record_interference(any_db, actor(any_db, "judge_a"), RecordInterference(
            case_id=case_id, source="outside", person_name="某人", occurred_on=date(2025, 2, 20), manner="note",
            asked="批条", response="已记录"), at("2025-02-19"))
    with pytest.raises(Invalid, match="your own conduct"):
        record(any_db, world, case_id, person="judge_a")


# --- append-only and tamper-evident --------------------------------------------------------------------

def test_a_record_refuses_update_and_an_edit_past_the_trigger_is_caught_by_trace_verify(any_db, world, monkeypatch,
                                                                                       capsys):
    from cli import trace as trace_cli

    record_id = record(any_db, world, supervised_case(any_db, world))
    monkeypatch.setattr(trace_cli, "database", lambda: any_db)
    assert trace_cli.trace_command(["verify"]) == 0
    with pytest.raises(DBAPIError, match="refused"):
        with any_db.write() as s:
            s.exec(text(f"UPDATE interference_record SET asked = '无' WHERE id = {record_id}"))

    with any_db.writer.begin() as conn:
        append_only.switch_off(conn)
        conn.exec_driver_sql(f"UPDATE interference_record SET asked = '无' WHERE id = {record_id}")
        append_only.switch_on(conn)
    capsys.readouterr()
    assert trace_cli.trace_command(["verify"]) == 1
    assert f"interference_records {record_id} differs from trace entry" in capsys.readouterr().out


# --- the monthly report and the quarterly summary ---------------------------------------------------------

def reports(db, month) -> dict[int, InterferenceReport]:
    with db.read() as s:
        return {r.judge_id: r for r in s.exec(select(InterferenceReport).where(InterferenceReport.month == month))}


def test_each_judge_reports_the_month_once_it_is_over_with_the_records_or_a_zero_report(any_db, world):
    case_id = supervised_case(any_db, world)
    first = record(any_db, world, case_id, day="2025-02-12")
    second = record(any_db, world, case_id, person="crim_judge", source="inside", day="2025-02-20")
    run_daily_monitor(any_db, date(2025, 2, 3), at("2025-02-03"))
    run_daily_monitor(any_db, date(2025, 2, 4), at("2025-02-04"))

    judge_a, judge_b = world.users["judge_a"].id, world.users["judge_b"].id
    due = reports(any_db, "2025-02")
    assert {due[judge_a].due_on, due[judge_a].state} == {date(2025, 3, 5), "due"}
    assert len(due) == 7  # every judge of the world (six at 和平, one at 沈河), once however often the monitor runs
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "interference_monthly_report",
                                         Task.assignee_user_id == judge_a)).one()
    assert (task.due_on, task.subject_id, task.state) == (date(2025, 3, 5), due[judge_a].id, "open")

    with pytest.raises(Refused, match="the report for 2025-02 is filed from 2025-02-28"):
        act(any_db, "judge_a", "interference_reports", due[judge_a].id, "file", {}, "2025-02-27")
    with pytest.raises(NotFound):
        act(any_db, "judge_b", "interference_reports", due[judge_a].id, "file", {}, "2025-03-01")
    act(any_db, "judge_a", "interference_reports", due[judge_a].id, "file", {}, "2025-03-01")
    act(any_db, "judge_b", "interference_reports", due[judge_b].id, "file", {"note": "本月无过问干预"}, "2025-03-01")

    filed = reports(any_db, "2025-02")
    assert (filed[judge_a].state, filed[judge_a].record_ids, filed[judge_a].zero) == ("filed", [first, second], False)
    assert (filed[judge_b].state, filed[judge_b].record_ids, filed[judge_b].zero) == ("filed", [], True)
    with any_db.read() as s:
        assert s.get(Task, task.id).state == "done"


def test_each_courts_quarter_goes_to_the_higher_courts_trial_office_once(any_db, world):
    case_id = supervised_case(any_db, world)
    record(any_db, world, case_id, day="2025-02-12")
    run_daily_monitor(any_db, date(2025, 2, 3), at("2025-02-03"))
    act(any_db, "judge_b", "interference_reports", reports(any_db, "2025-02")[world.users["judge_b"].id].id, "file",
        {}, "2025-03-01")
    run_daily_monitor(any_db, date(2025, 4, 9), at("2025-04-09"))
    with any_db.read() as s:
        assert s.exec(select(InterferenceSummary)).all() == []  # from the 10th
    run_daily_monitor(any_db, date(2025, 4, 10), at("2025-04-10"))
    run_daily_monitor(any_db, date(2025, 4, 11), at("2025-04-11"))

    with any_db.read() as s:
        summaries = {x.court_id: x for x in s.exec(select(InterferenceSummary)).all()}
        notices = s.exec(select(Notice).where(Notice.kind == "interference_quarterly_summary")).all()
    hp = summaries[world.courts["hp"].id]
    assert (hp.quarter, hp.to_court_id) == ("2025Q1", world.courts["mid"].id)
    assert hp.figures == {"records": 1, "inside": 0, "outside": 1, "by_manner": {"phone": 1}, "reports_due": 6,
                          "reports_filed": 1, "zero_reports": 1, "reports_missing": 5}
    assert len(summaries) == 3  # the intermediate court and both basic courts; the high court has none above it
    to_mid = [n for n in notices if n.context["court"] == "沈阳市和平区人民法院"]
    assert [n.recipient_user_id for n in to_mid] == [world.users["mid_office"].id]


# --- over HTTP: the API and the printable lists ---------------------------------------------------------

def test_the_api_records_and_each_reads_what_their_post_gives_them(any_db, world, client):
    from tests.integration.conftest import login

    case_id = supervised_case(any_db, world)
    body = {"case_id": case_id, "source": "outside", "person_name": "某局长", "person_post": "局长",
            "person_org": "某市某局", "occurred_on": "2025-02-12", "manner": "note", "asked": "批条要求关照",
            "response": "拒绝并如实记录"}
    r = client.post("/api/v1/integrity/records", json=body, headers=login(client, "judge_a"))
    assert r.status_code == 201
    record_id = r.json()["id"]
    assert client.post("/api/v1/integrity/records", json=body, headers=login(client, "judge_sh")).status_code == 404
    assert client.post("/api/v1/integrity/records", json={**body, "manner": "fax"},
                       headers=login(client, "judge_a")).status_code == 422

    [seen] = client.get("/api/v1/integrity/records", headers=login(client, "office")).json()
    assert (seen["id"], seen["recorder"], seen["case_number"]) == (record_id, "judge_a", "（2025）辽0102民初9号")
    assert client.get("/api/v1/integrity/records", headers=login(client, "inspector")).json() == []
    assert client.get("/api/v1/integrity/records", headers=login(client, "judge_b")).json() == []


def test_the_chiefs_list_prints_in_chinese_and_english_and_a_persons_list_only_for_who_reads_them(any_db, world,
                                                                                               client):
    from tests.integration.conftest import login
    from tests.integration.test_pages import page_login

    listed = client.get("/api/v1/integrity/powers/roles/division_chief", headers=login(client, "judge_a")).json()
    assert "reassignments.approve" in {p["item"] for p in listed["events"]}
    assert client.get("/api/v1/integrity/powers/roles/nobody", headers=login(client, "judge_a")).status_code == 404
    chief = world.users["chief"].id
    assert client.get(f"/api/v1/integrity/powers/people/{chief}", headers=login(client, "vp")).status_code == 200
    assert client.get(f"/api/v1/integrity/powers/people/{chief}",
                      headers=login(client, "judge_a")).status_code == 404  # a colleague's list is not theirs

    page_login(client, "chief")
    zh = client.get("/integrity/powers/roles/division_chief?lang=zh").text
    en = client.get("/integrity/powers/roles/division_chief?lang=en").text
    assert "岗位权责清单" in zh and 'data-item="reassignments.approve"' in zh and "批准" in zh
    assert "Powers and duties of the role" in en and "Approve" in en
    mine = client.get("/integrity/powers/me", follow_redirects=True).text
    assert mine.count('class="card powers"') == 2  # the chief is division chief and judge: one section each
    assert "integrity.monthly_report.due_day" in mine
    # the court-level column, and the duties the time limits and the ladder put on each
    assert "适用法院层级" in zh and "基层" in zh and "court levels" in en
    judge = client.get("/integrity/powers/roles/judge?lang=zh").text
    assert "在审限内审结民事一审普通程序案件" in judge and "6 个月" in judge
    assert "考核未达标：提交书面说明及整改措施" in judge and "5 个工作日" in judge
    assert "申请延长审限" in judge
    # the chief holds their grants at a basic court: an appeal's limit is not on their list there
    assert 'data-item="time_limits.procedures.civil-first-ordinary.limit"' in mine
    assert 'data-item="time_limits.procedures.civil-appeal-judgment.limit"' not in mine


def test_a_judge_who_files_nothing_is_reminded_then_escalated_once_each_and_the_chief_who_ignores_it_lapses(
        any_db, world):
    from datetime import timedelta

    from services.kernel.lapses import lapses_of

    run_daily_monitor(any_db, date(2025, 2, 3), at("2025-02-03"))
    due = reports(any_db, "2025-02")
    silent, chief = world.users["judge_c"].id, world.users["chief"].id
    for name in ("judge_a", "judge_b", "judge_sh", "chief", "english_judge", "crim_judge"):  # all but judge_c file
        act(any_db, name, "interference_reports", due[world.users[name].id].id, "file", {}, "2025-03-01")

    day = date(2025, 3, 1)
    while day <= date(2025, 3, 12):
        for _ in range(2):
            run_daily_monitor(any_db, day, at(day.isoformat()))
        day += timedelta(days=1)

    with any_db.read() as s:
        sent = [(n.kind, n.recipient_user_id, n.created_at.date().isoformat()) for n in s.exec(
            select(Notice).where(Notice.kind.in_(("task_due_soon", "task_overdue", "task_escalated")))
            .order_by(Notice.id)).all()]
        escalations = s.exec(select(Task).where(Task.kind == "supervise_overdue_task")).all()
    assert sent == [("task_due_soon", silent, "2025-03-02"), ("task_overdue", silent, "2025-03-06"),
                    ("task_escalated", chief, "2025-03-06"),  # the judge: reminded, late, escalated, once each
                    ("task_due_soon", chief, "2025-03-08"), ("task_overdue", chief, "2025-03-10")]  # the chief's duty
    assert [(t.assignee_user_id, t.due_on) for t in escalations] == [(chief, date(2025, 3, 9))]
    with any_db.read() as s:  # the chief left the escalation overdue too: 怠于履行, recorded once
        assert [(lapse.user_id, lapse.recorded_on) for lapse in lapses_of(s, chief, 2025)] == [
            (chief, date(2025, 3, 10))]


def test_the_judge_files_the_report_from_its_page_and_the_inbox_links_there(any_db, world, client):
    from tests.integration.test_pages import csrf_of, page_login

    run_daily_monitor(any_db, date(2025, 2, 3), at("2025-02-03"))
    report = reports(any_db, "2025-02")[world.users["judge_b"].id]
    page_login(client, "judge_b")
    assert f'/s/interference_reports/{report.id}' in client.get("/tasks").text
    page = client.get(f"/s/interference_reports/{report.id}")
    assert page.status_code == 200 and "报送月报（或零报告）" in page.text
    r = client.post(f"/s/interference_reports/{report.id}/fire",  # on 2025-03-03: February is over
                    data={"csrf_token": csrf_of(page.text), "event": "file", "version": str(report.version)})
    assert (r.status_code, r.headers["location"]) == (303, f"/s/interference_reports/{report.id}?done=interference_reports.file")
    assert reports(any_db, "2025-02")[world.users["judge_b"].id].state == "filed"


@pytest.mark.usefixtures("prefect_server")
def test_a_digest_takers_report_reminder_goes_out_in_the_digest_at_eight_not_before(any_db, world):
    from flows.deliver_notices import deliver_notices
    from store.models import NoticePreference
    from tests.integration.test_notice_centre import shanghai

    judge = world.users["judge_c"].id
    with any_db.write() as s:
        s.add(NoticePreference(user_id=judge, daily_digest=True))
    run_daily_monitor(any_db, date(2025, 2, 3), at("2025-02-03"))
    for name in world.users:  # everyone but judge_c files February's report: only their reminder is written
        report = reports(any_db, "2025-02").get(world.users[name].id)
        if report is not None and name != "judge_c":
            act(any_db, name, "interference_reports", report.id, "file", {}, "2025-03-01")
    deliver_notices(now=shanghai("2025-03-01T23:00"), database_url=any_db.url)

    monitor_at = shanghai("2025-03-02T00:30")  # three days before the 5th: the reminder
    assert run_daily_monitor(any_db, date(2025, 3, 2), monitor_at).extra["digests"] == 1
    deliver_notices(now=shanghai("2025-03-02T07:59"), database_url=any_db.url)
    assert states_of(any_db, judge) == {"task_due_soon": "digested", "notice_digest": "pending"}  # nothing yet
    deliver_notices(now=shanghai("2025-03-02T08:00"), database_url=any_db.url)
    assert states_of(any_db, judge) == {"task_due_soon": "digested", "notice_digest": "in_app"}


def states_of(db, user_id: int) -> dict[str, str]:
    with db.read() as s:
        return {n.kind: n.state for n in s.exec(select(Notice).where(Notice.recipient_user_id == user_id)).all()}


def test_a_supervisory_act_outside_ones_list_is_refused_naming_the_item_lacking(any_db, world):
    from store.models import PolicyOverride

    filed = file_with(any_db, world, "（2025）辽0102民初10号")
    with pytest.raises(Refused, match=r"not on your powers list \(权责清单\): item cases.assign «assign» is on "
                                      r"the list of (.+); your roles here: judge") as refused:
        act(any_db, "judge_b", "cases", filed, "assign", {"method": "random"}, "2025-01-07")
    sup = supervision_id(any_db, supervised_case(any_db, world))
    assert "「分案」" in refused.value.text("zh_CN") and "«Assign»" in refused.value.text("en")
    with pytest.raises(Refused, match=r"item policy:supervision.supervisor_roles «supervision.supervisor_roles» is on "
                                      r"the list of division_chief, president, vice_president; "
                                      r"your roles here: judge") as refused:
        act(any_db, "judge_b", "supervisions", sup, "read_file", {"note": "调卷"}, "2025-02-10")
    assert "«supervision measures of the case's court»" in refused.value.text("en")
    assert refused.value.text("zh_CN").endswith("属于庭长、院长、副院长的权责清单；您在此处的角色：法官")
    with any_db.write() as s:  # this court leaves supervision measures to its court leaders
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="supervision",
                             data={"supervisor_roles": ["vice_president", "president"],
                                   "draft_review": {"four_type_chain": ["vice_president"]}}))
    with pytest.raises(Refused, match=r"item policy:supervision.supervisor_roles .* is on the list of president, "
                                      r"vice_president; your roles here: division_chief, judge"):
        act(any_db, "chief", "supervisions", sup, "read_file", {"note": "调卷"}, "2025-02-10")


# --- a person named is kept off the case's meeting, committee and assignment ----------------------------

def test_a_person_named_is_kept_off_the_cases_meeting_committee_and_assignment(any_db, world):
    from services.supervision.meetings import MeetingCreate, panel_refers
    from store.models import AssignmentDraw, MeetingReferral, ReassignmentRequest
    from tests.case_helpers import case_row

    with any_db.write() as s:  # enough judges off the (randomly drawn) panel for a meeting without judge_b
        for name in ("judge_d", "judge_e", "judge_f"):
            add_user(s, world, name, "hp", ["judge"], "hp_civil", quota_judge=True)
    case_id = supervised_case(any_db, world)
    record(any_db, world, case_id, person="judge_b", source="inside")
    record(any_db, world, case_id, person="president", source="inside")
    sup, judge_b = supervision_id(any_db, case_id), world.users["judge_b"].id
    # 专业法官会议: a member chosen by name is refused; the default members leave the person named out
    chosen = MeetingCreate(question="违约金是否过高", options="过高；不过高",
                           member_ids=[judge_b, world.users["judge_c"].id, world.users["chief"].id])
    with pytest.raises(Refused, match=r"judge_b is named in an interference record on this case .*三个规定"):
        panel_refers(any_db, actor(any_db, "judge_a"), case_id, chosen, at("2025-02-13"))
    act(any_db, "vp", "supervisions", sup, "refer_to_meeting", {"question": "违约金是否过高", "options": "过高；不过高"},
        "2025-02-13")
    with any_db.read() as s:
        members = s.exec(select(MeetingReferral.member_ids).where(MeetingReferral.case_id == case_id)).one()
    assert judge_b not in members and len(members) >= 3
    # 审委会: the president named may not put it on the agenda; a participant named is refused on the record
    from services.kernel.access import Command
    from services.supervision.committee import refer_to_committee
    from store.models import Case

    with any_db.write() as s:  # a proposal (the trial office is no president): the president puts it on the agenda
        referral = refer_to_committee(Command(s, actor(any_db, "office"), at("2025-02-13")), s.get(Case, case_id),
                                      "是否构成群体性事件风险", "supervision").id
    with pytest.raises(Refused, match=r"you are named in an interference record"):
        act(any_db, "president", "committee_referrals", referral, "put_on_agenda", {}, "2025-02-14")
    act(any_db, "vp", "committee_referrals", referral, "put_on_agenda", {}, "2025-02-14")
    with pytest.raises(Refused) as refused:
        act(any_db, "office", "committee_referrals", referral, "record_decision",
            {"decision": "驳回", "reasons": "证据不足", "participants": "vp；judge_b"}, "2025-02-20")
    assert refused.value.text("zh_CN").startswith("judge_b是本案（（2025）辽0102民初9号）过问、干预记录中的被记录人")
    act(any_db, "office", "committee_referrals", referral, "record_decision",
        {"decision": "驳回", "reasons": "证据不足", "participants": "vp；chief"}, "2025-02-20")
    # 变更承办法官: proposed or approved by name, refused; drawn at random, never among the candidates
    with pytest.raises(Refused, match="judge_b is named"):
        act(any_db, "judge_a", "cases", case_id, "request_reassignment",
            {"reason_code": "回避", "reason": "与当事人有亲属关系", "to_judge_id": judge_b}, "2025-02-21")
    act(any_db, "judge_a", "cases", case_id, "request_reassignment",
        {"reason_code": "回避", "reason": "与当事人有亲属关系"}, "2025-02-21")
    with any_db.read() as s:
        request = s.exec(select(ReassignmentRequest.id)).one()
    with pytest.raises(Refused, match="judge_b is named"):
        act(any_db, "chief", "reassignments", request, "approve", {"to_judge_id": judge_b}, "2025-02-22")
    act(any_db, "chief", "reassignments", request, "approve", {}, "2025-02-22")
    with any_db.read() as s:
        draw = s.exec(select(AssignmentDraw).where(AssignmentDraw.case_id == case_id)
                      .order_by(AssignmentDraw.id.desc())).first()
    assert draw.method == "reassignment" and judge_b not in draw.candidates and draw.candidates
    assert case_row(any_db, case_id).lead_judge_id not in (judge_b, world.users["judge_a"].id)
