"""Supervision measures, the decide gate, meetings, the committee and 阅核, as SPEC §2 and §3 bind them."""
import pytest
from sqlmodel import select

from services.kernel.errors import Invalid, Refused
from services.supervision.proposals import meeting_credits
from services.supervision.required_reports import SearchRequest, panel_requires_search
from store.models import CommitteeReferral, Notice, RequiredReport, SupervisionMeasure, TraceEntry
from tests.case_helpers import act, actor, at, case_row, designate, file
from tests.factories import small_world
from tests.supervision_helpers import (approved_draft, draft, flagged_case, meeting, refusals, supervision_of)
from services.supervision.draft_reviews import DraftCreate, submit_draft


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def _report_id(db, case_id, kind):
    with db.read() as s:
        return s.exec(select(RequiredReport.id).where(RequiredReport.case_id == case_id,
                                                      RequiredReport.kind == kind)).one()


def _notices(db, kind):
    with db.read() as s:
        return [n for n in s.exec(select(Notice).order_by(Notice.id)).all() if n.kind == kind]


def test_measures_are_recorded_and_a_required_report_blocks_the_decision(any_db, world):
    case_id = flagged_case(any_db, world)
    sup = supervision_of(any_db, case_id).id
    act(any_db, "judge_a", "supervisions", sup, "report", {"text": "12名原告，争议焦点为工资标准"}, "2025-01-08")
    act(any_db, "chief", "supervisions", sup, "read_file", {"note": "已阅卷"}, "2025-01-21")
    act(any_db, "vp", "supervisions", sup, "attend_hearing", {"on": "2025-01-20", "note": "旁听"}, "2025-01-21")
    act(any_db, "chief", "supervisions", sup, "require_report",
        {"kind": "progress", "due_on": "2025-02-05", "reason": "报告审理进度"}, "2025-01-21")
    with any_db.read() as s:
        measures = [(m.kind, m.actor_id) for m in s.exec(select(SupervisionMeasure).order_by(SupervisionMeasure.id))]
    assert measures == [("read_file", world.users["chief"].id), ("attend_hearing", world.users["vp"].id),
                        ("require_progress", world.users["chief"].id)]
    approved_draft(any_db, case_id)
    with pytest.raises(Refused, match="1 report"):
        act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-11"}, "2025-02-11")
    assert case_row(any_db, case_id).state == "in_trial"
    assert "1 report" in refusals(any_db, "cases.decide")[0].why
    act(any_db, "judge_a", "required_reports", _report_id(any_db, case_id, "progress"), "submit",
        {"text": "已完成证据交换，拟于2月中旬宣判"}, "2025-02-11")
    act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-12", "document_ref": "判2025-9"},
        "2025-02-12")
    assert supervision_of(any_db, case_id).state == "ended"
    with pytest.raises(Refused):                                           # supervision has ended
        act(any_db, "chief", "supervisions", sup, "read_file", {"note": "再阅"}, "2025-02-13")


def test_no_supervisor_changes_the_panels_decision(any_db, world):
    case_id = flagged_case(any_db, world)
    draft_id = submit_draft(any_db, actor(any_db, "judge_a"), case_id,
                            DraftCreate(document_kind="判决书", outcome="驳回原告诉讼请求"), at("2025-02-10"))
    with pytest.raises(Invalid):
        act(any_db, "chief", "drafts", draft_id, "approve", {"outcome": "支持原告诉讼请求"}, "2025-02-10")
    act(any_db, "chief", "drafts", draft_id, "suggest_reconsideration", {"note": "建议支持原告"}, "2025-02-10")
    with pytest.raises(Refused, match="never edits the outcome"):
        act(any_db, "chief", "drafts", draft_id, "resubmit", {"outcome": "支持原告诉讼请求"}, "2025-02-10")
    with pytest.raises(Refused):
        act(any_db, "president", "cases", case_id, "decide", {"decided_on": "2025-02-10"}, "2025-02-10")
    with pytest.raises(Refused):
        act(any_db, "chief", "cases", case_id, "decide", {"decided_on": "2025-02-10"}, "2025-02-10")
    assert draft(any_db, draft_id).outcome == "驳回原告诉讼请求"
    assert case_row(any_db, case_id).state == "in_trial"
    assert len(refusals(any_db, "drafts.resubmit")) == 1 and len(refusals(any_db, "cases.decide")) == 2


def test_review_climbs_the_chain_and_a_reconsideration_goes_back_to_the_panel(any_db, world):
    case_id = flagged_case(any_db, world)
    draft_id = submit_draft(any_db, actor(any_db, "judge_a"), case_id,
                            DraftCreate(document_kind="判决书", outcome="驳回原告诉讼请求"), at("2025-02-10"))
    with pytest.raises(Refused, match="division_chief"):                  # the vice president waits for the chief
        act(any_db, "vp", "drafts", draft_id, "approve", {}, "2025-02-10")
    act(any_db, "chief", "drafts", draft_id, "approve", {"note": "同意"}, "2025-02-10")
    with pytest.raises(Refused, match="pass review|still in review"):
        act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-11"}, "2025-02-11")
    act(any_db, "vp", "drafts", draft_id, "suggest_reconsideration", {"note": "工资标准认定有误"}, "2025-02-11")
    assert draft(any_db, draft_id).state == "returned"
    act(any_db, "judge_a", "drafts", draft_id, "resubmit", {"outcome": "部分支持原告诉讼请求", "note": "已复议"},
        "2025-02-12")
    act(any_db, "chief", "drafts", draft_id, "approve", {}, "2025-02-12")
    act(any_db, "vp", "drafts", draft_id, "approve", {}, "2025-02-12")
    assert (draft(any_db, draft_id).state, draft(any_db, draft_id).outcome) == ("approved", "部分支持原告诉讼请求")
    act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-13"}, "2025-02-13")


def test_an_ordinary_case_needs_no_review_and_its_draft_is_refused(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    with pytest.raises(Refused, match="no review"):
        submit_draft(any_db, actor(any_db, "judge_a"), case_id,
                     DraftCreate(document_kind="判决书", outcome="驳回"), at("2025-02-10"))
    act(any_db, "judge_a", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-13"}, "2025-02-13")


def _opinions(db, meeting_id, views):
    for who, view in views.items():
        act(db, who, "meetings", meeting_id, "give_opinion", {"view": view, "reasoning": "略"}, "2025-02-05")


def test_the_meeting_computes_the_majority_and_a_panel_departing_from_it_alerts_the_chief(any_db, world):
    case_id = flagged_case(any_db, world)
    act(any_db, "vp", "supervisions", supervision_of(any_db, case_id).id, "refer_to_meeting",
        {"question": "加班费计算基数", "options": "按合同约定；按实际工资"}, "2025-02-01")
    m = meeting(any_db, case_id)
    assert set(m.member_ids) == {world.users[u].id for u in ("judge_b", "judge_c", "chief", "english_judge")}
    with pytest.raises(Refused, match="member"):
        act(any_db, "judge_a", "meetings", m.id, "give_opinion", {"view": "按合同约定"}, "2025-02-05")
    with pytest.raises(Invalid):
        act(any_db, "judge_b", "meetings", m.id, "give_opinion", {"view": "另行起诉"}, "2025-02-05")
    _opinions(any_db, m.id, {"judge_b": "按实际工资", "judge_c": "按实际工资", "chief": "按实际工资",
                             "english_judge": "按合同约定"})
    m = meeting(any_db, case_id)
    assert (m.state, m.majority_view, m.unanimous) == ("concluded", "按实际工资", False)
    approved_draft(any_db, case_id)
    with pytest.raises(Refused, match="professional judges' meeting"):
        act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-11"}, "2025-02-11")
    with pytest.raises(Refused, match="why"):
        act(any_db, "judge_a", "meetings", m.id, "not_adopt", {"reason": "   "}, "2025-02-11")
    act(any_db, "judge_a", "meetings", m.id, "not_adopt", {"reason": "劳动合同明确约定了计算基数"}, "2025-02-11")
    alerts = _notices(any_db, "meeting_not_adopted")
    assert [n.recipient_user_id for n in alerts] == [world.users["chief"].id]
    assert alerts[0].context["reason"] == "劳动合同明确约定了计算基数"
    act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-12"}, "2025-02-12")
    assert meeting_credits(any_db.read().__enter__(), at("2025-02-01").date(), at("2025-02-28").date()) == {
        world.users[u].id: 1 for u in ("judge_b", "judge_c", "chief", "english_judge")}


def _panel_meeting(db, case_id):
    from services.supervision.meetings import MeetingCreate, panel_refers
    return panel_refers(db, actor(db, "judge_a"), case_id,
                        MeetingCreate(question="违约金是否过高", options=["过高", "不过高"]), at("2025-02-01"))


def test_a_tied_meeting_has_no_view_to_adopt_and_departing_alerts_nobody(any_db, world):
    case_id = flagged_case(any_db, world)
    meeting_id = _panel_meeting(any_db, case_id)
    _opinions(any_db, meeting_id, {"judge_b": "过高", "judge_c": "不过高", "chief": "过高", "english_judge": "不过高"})
    assert (meeting(any_db, case_id).state, meeting(any_db, case_id).majority_view) == ("concluded", None)
    with pytest.raises(Refused, match="no majority"):
        act(any_db, "judge_a", "meetings", meeting_id, "adopt", {}, "2025-02-06")
    act(any_db, "judge_a", "meetings", meeting_id, "not_adopt", {"reason": "合议庭认为不过高"}, "2025-02-06")
    assert _notices(any_db, "meeting_not_adopted") == []


def test_the_convener_concludes_with_a_quorum_and_the_panel_adopts_the_majority(any_db, world):
    case_id = flagged_case(any_db, world)
    meeting_id = _panel_meeting(any_db, case_id)
    _opinions(any_db, meeting_id, {"judge_b": "过高", "judge_c": "不过高"})
    with pytest.raises(Refused, match="at least 3"):
        act(any_db, "chief", "meetings", meeting_id, "conclude", {}, "2025-02-06")
    _opinions(any_db, meeting_id, {"chief": "过高"})
    with pytest.raises(Refused, match="already"):
        _opinions(any_db, meeting_id, {"chief": "不过高"})
    act(any_db, "chief", "meetings", meeting_id, "conclude", {}, "2025-02-06")
    assert meeting(any_db, case_id).majority_view == "过高"
    act(any_db, "judge_a", "meetings", meeting_id, "adopt", {}, "2025-02-06")
    assert meeting(any_db, case_id).state == "adopted"


def test_the_committee_decision_binds_the_panel_and_is_recorded_with_the_judgment(any_db, world):
    case_id = flagged_case(any_db, world)
    act(any_db, "chief", "supervisions", supervision_of(any_db, case_id).id, "refer_to_committee",
        {"question": "是否构成群体性事件风险"}, "2025-02-01")
    with any_db.read() as s:
        referral = s.exec(select(CommitteeReferral).where(CommitteeReferral.case_id == case_id)).one()
    assert referral.state == "proposed"                                    # a division chief proposes
    approved_draft(any_db, case_id)
    with pytest.raises(Refused, match="adjudication committee"):
        act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-11"}, "2025-02-11")
    with pytest.raises(Refused):
        act(any_db, "chief", "committee_referrals", referral.id, "put_on_agenda", {}, "2025-02-02")
    act(any_db, "president", "committee_referrals", referral.id, "put_on_agenda", {}, "2025-02-02")
    with pytest.raises(Invalid, match="participants"):
        act(any_db, "office", "committee_referrals", referral.id, "record_decision",
            {"decision": "驳回诉讼请求", "reasons": "证据不足", "participants": "president；nobody"}, "2025-02-05")
    act(any_db, "office", "committee_referrals", referral.id, "record_decision",
        {"decision": "部分支持原告诉讼请求", "reasons": "依劳动合同法第三十条", "participants": "president；vp；chief"},
        "2025-02-05")
    act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-12", "document_ref": "（2025）辽0102民初9号判决书"},
        "2025-02-12")
    with any_db.read() as s:
        referral = s.get(CommitteeReferral, referral.id)
        assert (referral.state, referral.judgment_doc_ref) == ("decided", "（2025）辽0102民初9号判决书")
        credits = meeting_credits(s, at("2025-02-01").date(), at("2025-02-28").date())
    assert credits == {world.users[u].id: 1 for u in ("president", "vp", "chief")}
    assert [n.recipient_user_id for n in _notices(any_db, "committee_decided")] == [world.users["judge_a"].id,
                                                                                   world.users["chief"].id]


def test_a_withheld_committee_decision_needs_its_legal_ground(any_db, world):
    case_id = flagged_case(any_db, world)
    act(any_db, "president", "supervisions", supervision_of(any_db, case_id).id, "refer_to_committee",
        {"question": "涉及国家秘密"}, "2025-02-01")
    with any_db.read() as s:
        referral_id = s.exec(select(CommitteeReferral.id)).one()
    payload = {"decision": "驳回", "reasons": "证据不足", "participants": "president", "publish": False}
    with pytest.raises(Refused, match="legal ground"):
        act(any_db, "president", "committee_referrals", referral_id, "record_decision", payload, "2025-02-05")
    act(any_db, "president", "committee_referrals", referral_id, "record_decision",
        {**payload, "withheld_ground": "涉及国家秘密，依法不公开"}, "2025-02-05")


def test_a_similar_case_search_comes_before_deliberation_and_a_meeting(any_db, world):
    case_id = flagged_case(any_db, world)
    panel_requires_search(any_db, actor(any_db, "judge_a"), case_id, SearchRequest(reason="类案不同判风险"),
                          at("2025-01-25"))
    with pytest.raises(Refused, match="similar-case search"):
        act(any_db, "judge_a", "cases", case_id, "deliberate", {}, "2025-01-26")
    with pytest.raises(Refused, match="similar-case search"):
        act(any_db, "chief", "supervisions", supervision_of(any_db, case_id).id, "refer_to_meeting",
            {"question": "法律适用", "options": "甲；乙"}, "2025-01-26")
    act(any_db, "judge_a", "required_reports", _report_id(any_db, case_id, "similar_case_search"), "submit",
        {"text": "检索到类案3件，裁判尺度一致"}, "2025-01-27")
    act(any_db, "judge_a", "cases", case_id, "deliberate", {}, "2025-01-28")
    with any_db.read() as s:
        assert s.exec(select(TraceEntry).where(TraceEntry.action == "refused:supervisions.refer_to_meeting")).one()
