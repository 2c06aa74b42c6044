"""Approvals that a court would notice going wrong: self-approval, late approval, a race."""
import threading

import pytest
from sqlmodel import select

from services.kernel.errors import Conflict, Refused
from store.models import ExtensionRequest, ReassignmentRequest, RoleGrant, TraceEntry
from tests.case_helpers import act, case_row, designate, file, notices
from tests.factories import add_user, small_world


@pytest.fixture
def world(any_db):
    w = small_world(any_db)
    with any_db.write() as s:
        add_user(s, w, "president2", "hp", ["president"])
    return w


def _request(db, world, day="2025-07-10"):
    case_id = file(db, world)
    designate(db, world, case_id)
    act(db, "judge_a", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    act(db, "judge_a", "cases", case_id, "request_extension", {"length": "6m", "reason": "案情复杂"}, day)
    with db.read() as s:
        return case_id, s.exec(select(ExtensionRequest.id).where(ExtensionRequest.case_id == case_id)).one()


def test_a_supervisor_cannot_approve_their_own_request(any_db, world):
    with any_db.write() as s:  # the president also sits as a judge in the civil division
        s.add(RoleGrant(user_id=world.users["chief"].id, role="president", court_id=world.courts["hp"].id))
    case_id = file(any_db, world)
    act(any_db, "chief", "cases", case_id, "assign",
        {"method": "designated", "judge_id": world.users["chief"].id, "reason": "庭长办案"})
    act(any_db, "chief", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    act(any_db, "chief", "cases", case_id, "request_extension", {"length": "6m", "reason": "案情复杂"}, "2025-07-01")
    with any_db.read() as s:
        ext_id = s.exec(select(ExtensionRequest.id)).one()
    with pytest.raises(Refused, match="own extension request"):
        act(any_db, "chief", "extensions", ext_id, "approve", {}, "2025-07-02")
    with any_db.read() as s:
        refusal = s.exec(select(TraceEntry).where(TraceEntry.action == "refused:extensions.approve")).one()
    assert "own extension request" in refusal.why



def test_a_timely_request_approved_late_is_refused_without_override_and_accepted_with_one(any_db, world):
    case_id, ext_id = _request(any_db, world, "2025-06-20")  # deadline 2025-07-07, decide by 2025-07-02
    with pytest.raises(Refused, match="due by 2025-07-02"):
        act(any_db, "president", "extensions", ext_id, "approve", {}, "2025-07-03")
    assert case_row(any_db, case_id).extension_count == 0
    approved = act(any_db, "president", "extensions", ext_id, "approve",
                   {"override_reason": "院长出差，延误审批"}, "2025-07-03")
    assert approved["state"] == "approved" and approved["override_reason"] == "院长出差，延误审批"
    assert case_row(any_db, case_id).extension_count == 1


def test_two_presidents_approving_at_once_give_one_approval_and_one_409(any_db, world):
    case_id, ext_id = _request(any_db, world, "2025-06-20")
    barrier, outcomes = threading.Barrier(2), []

    def approve(who):
        barrier.wait()
        try:
            act(any_db, who, "extensions", ext_id, "approve", {"note": who}, "2025-06-25")
            outcomes.append("approved")
        except (Refused, Conflict) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=approve, args=(w,)) for w in ("president", "president2")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) in (["Conflict", "approved"], ["Refused", "approved"])
    assert case_row(any_db, case_id).extension_count == 1
    assert len(notices(any_db, "extension_decided")) == 1


def test_a_judge_cannot_approve_an_extension(any_db, world):
    case_id, ext_id = _request(any_db, world, "2025-06-20")
    with pytest.raises(Refused):
        act(any_db, "judge_b", "extensions", ext_id, "approve", {}, "2025-06-21")


def test_reassignment_needs_the_policys_approver_and_tells_the_parties(any_db, world):
    case_id = file(any_db, world, procedure="civil-first-simplified")  # a sole judge: no panel drawn around judge_b
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "request_reassignment",
        {"reason_code": "回避", "reason": "与当事人有亲属关系", "to_judge_id": world.users["judge_b"].id}, "2025-01-10")
    with any_db.read() as s:
        req_id = s.exec(select(ReassignmentRequest.id)).one()
    with pytest.raises(Refused):
        act(any_db, "judge_c", "reassignments", req_id, "approve", {}, "2025-01-11")
    act(any_db, "chief", "reassignments", req_id, "approve", {}, "2025-01-11")
    assert case_row(any_db, case_id).lead_judge_id == world.users["judge_b"].id
    from store.models import PartyNotice
    with any_db.read() as s:
        texts = [p.text for p in s.exec(select(PartyNotice)).all()]
    assert any("回避" in t and "judge_b" in t for t in texts)


def test_the_lead_judge_cannot_be_changed_except_through_reassignment(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    with pytest.raises(Refused, match="not allowed while the cases is 'assigned'"):
        designate(any_db, world, case_id, judge="judge_b")


def test_adjournments_stop_at_the_procedures_limit(any_db, world):
    case_id = file(any_db, world, procedure="civil-first-simplified")
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    act(any_db, "judge_a", "cases", case_id, "adjourn_hearing", {}, "2025-01-21")
    with pytest.raises(Refused, match="at most 1 adjournment"):
        act(any_db, "judge_a", "cases", case_id, "adjourn_hearing", {}, "2025-01-22")


def test_converting_to_ordinary_keeps_the_filing_date(any_db, world):
    case_id = file(any_db, world, procedure="civil-first-simplified")  # 3 months → 2025-04-07 (Mon)
    assert case_row(any_db, case_id).deadline.isoformat() == "2025-04-07"
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "convert_to_ordinary", {"reason": "案情复杂"}, "2025-02-01")
    assert case_row(any_db, case_id).deadline.isoformat() == "2025-07-07"


def test_only_the_lead_judge_or_the_division_chief_may_ask_to_reassign_a_case(client, any_db, world):
    """SPEC §1: the lead judge asks to hand the case on, the division chief may initiate it; a colleague
    of the same division may not (the API answers 409 with the reason, and the refusal is traced)."""
    from tests.integration.conftest import login

    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    body = {"event": "request_reassignment", "payload": {"reason_code": "其他", "reason": "案件太多，请求调走"}}
    colleague = login(client, "judge_b")
    assert "request_reassignment" not in client.get(f"/api/v1/cases/{case_id}", headers=colleague).json()[
        "allowed_events"]
    r = client.post(f"/api/v1/cases/{case_id}/transitions", json=body, headers=colleague)
    assert r.status_code == 409 and r.json()["detail"] == (
        "only the lead judge of this case (or the division chief) may request its reassignment")
    with any_db.read() as s:
        assert s.exec(select(ReassignmentRequest)).all() == []
        assert s.exec(select(TraceEntry).where(TraceEntry.action == "refused:cases.request_reassignment")).one()
    r = client.post(f"/api/v1/cases/{case_id}/transitions", json=body, headers=login(client, "chief"))
    assert r.status_code == 200
    r = client.post(f"/api/v1/cases/{case_id}/transitions", json=body, headers=login(client, "judge_a"))
    assert r.status_code == 409 and "already waiting" in r.json()["detail"]
