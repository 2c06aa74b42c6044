"""终结本次执行程序 (SPEC §1.6): the chief approves only when every condition is recorded with its evidence and
three months have passed; the trial office reviews the closing; the case can be resumed."""
import pytest
from sqlmodel import select

from services.kernel.errors import Refused
from store.models import CaseNode, EnforcementCheck, Task
from tests.case_helpers import act, case_row, designate, file
from tests.factories import small_world

EVIDENCE = {"notice_and_report_order": "（2025）辽0102执1号执行通知书、报告财产令",
            "consumption_restriction": "（2025）辽0102执1号限制消费令",
            "whereabouts_and_obstruction": "被执行人下落清楚，无妨害执行行为",
            "applicant_heard": "2025年3月1日听取申请执行人意见笔录"}


@pytest.fixture
def world(db):
    return small_world(db)


def test_terminating_enforcement_needs_every_condition_three_months_and_the_chief(db, world):
    case_id = file(db, world, number="（2025）辽0102执1号", procedure="enforcement")
    designate(db, world, case_id)
    act(db, "judge_a", "cases", case_id, "start_trial", {}, "2025-01-08")
    with pytest.raises(Refused, match="always applies"):
        act(db, "judge_a", "cases", case_id, "record_check",
            {"item": "consumption_restriction", "evidence": "无需发出", "not_applicable": True}, "2025-03-01")
    for item, evidence in EVIDENCE.items():
        act(db, "judge_a", "cases", case_id, "record_check", {"item": item, "evidence": evidence}, "2025-03-01")
    act(db, "judge_a", "cases", case_id, "record_check",
        {"item": "dishonest_listing", "evidence": "被执行人无履行能力，不符合纳入失信名单条件", "not_applicable": True},
        "2025-03-01")
    with pytest.raises(Refused, match="already recorded"):
        act(db, "judge_a", "cases", case_id, "record_check", {"item": "applicant_heard", "evidence": "再次"}, "2025-03-02")
    ruling = {"ruling_ref": "（2025）辽0102执1号之一"}
    with pytest.raises(Refused, match="not yet recorded: 已穷尽财产调查措施"):
        act(db, "chief", "cases", case_id, "approve_termination", ruling, "2025-03-10")
    act(db, "judge_a", "cases", case_id, "record_check",
        {"item": "property_investigation_exhausted", "evidence": "网络查控系统查询无财产"}, "2025-03-10")
    with pytest.raises(Refused, match="Less than 3 months since filing"):
        act(db, "chief", "cases", case_id, "approve_termination", ruling, "2025-03-10")
    with pytest.raises(Refused):
        act(db, "judge_a", "cases", case_id, "approve_termination", ruling, "2025-04-08")
    assert case_row(db, case_id).state == "in_trial"

    act(db, "chief", "cases", case_id, "approve_termination", ruling, "2025-04-08")
    case = case_row(db, case_id)
    assert (case.state, case.closing_method, case.decision_doc_ref) == ("closed", "终本", "（2025）辽0102执1号之一")
    with db.read() as s:
        review = s.exec(select(Task).where(Task.kind == "review_terminated_enforcement")).one()
        assert (review.assignee_role, review.subject_id) == ("trial_office", case_id)
        assert len(s.exec(select(EnforcementCheck).where(EnforcementCheck.case_id == case_id)).all()) == 6
        archive = s.exec(select(CaseNode).where(CaseNode.case_id == case_id, CaseNode.node == "archived")).one()
    assert archive.done_on is None

    act(db, "judge_a", "cases", case_id, "resume_enforcement", {"reason": "申请执行人提供新的财产线索"}, "2025-05-06")
    case = case_row(db, case_id)
    assert (case.state, case.closing_method, case.closed_on) == ("in_trial", None, None)
    with db.read() as s:
        assert s.get(CaseNode, archive.id).note == "dropped"


def test_a_civil_case_cannot_be_terminated_this_way(db, world):
    case_id = file(db, world)
    designate(db, world, case_id)
    act(db, "judge_a", "cases", case_id, "start_trial", {}, "2025-01-08")
    with pytest.raises(Refused, match="enforcement cases only"):
        act(db, "judge_a", "cases", case_id, "record_check", {"item": "applicant_heard", "evidence": "笔录"}, "2025-03-01")
    with pytest.raises(Refused, match="Only an enforcement case"):
        act(db, "chief", "cases", case_id, "approve_termination", {"ruling_ref": "（2025）辽0102民初1号"}, "2025-05-01")


def test_the_enforcement_time_limit_stages_are_planned_from_their_own_facts(db, world):
    """法发〔2006〕35号: the applicant asked for the debtor's property within 3 days of the judge taking the file
    (第五条); leads the applicant gives checked within 5 days, an investigation asked for begun within 10 (第六条)."""
    case_id = file(db, world, number="（2025）辽0102执2号", procedure="enforcement", filed="2025-01-06")
    designate(db, world, case_id, day="2025-01-08")
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "property_leads_received", "on": "2025-01-13"},
        "2025-01-13")
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "investigation_requested", "on": "2025-01-20"},
        "2025-01-20")
    with db.read() as s:
        planned = {n.node: (n.trigger_on.isoformat(), n.planned_on.isoformat(), n.source)
                   for n in s.exec(select(CaseNode).where(CaseNode.case_id == case_id)).all()}
    assert planned["enforcement_notice"] == ("2025-01-06", "2025-01-16", "cpl_interp_480")
    assert planned["property_leads_requested"] == ("2025-01-08", "2025-01-13", "spc_enforcement_limits_art5")  # Sat → Mon
    assert planned["property_leads_checked"] == ("2025-01-13", "2025-01-20", "spc_enforcement_limits_art6")    # Sat → Mon
    assert planned["property_investigation"] == ("2025-01-20", "2025-02-05", "spc_enforcement_limits_art6")  # 春节 → 5 Feb
