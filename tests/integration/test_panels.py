"""合议庭 (SPEC §1.4): a panel drawn at assignment and verifiable; a member changed only by an approved
request, the parties told and the new member credited in assessment and kept off quality review."""
from datetime import date

import pytest
from sqlmodel import select

from policies.periods import Period
from services.assessment.metrics import member_figures
from services.cases.assignment import verify_draws
from services.kernel.errors import Refused
from services.kernel.policy import policy
from store.models import AssignmentDraw, CaseNode, PanelMember, ReassignmentRequest, Task
from tests.case_helpers import act, designate, file
from tests.factories import small_world


@pytest.fixture
def world(db):
    return small_world(db)


def panel(db, case_id) -> dict[int, str]:
    with db.read() as s:
        return {m.user_id: m.role for m in s.exec(select(PanelMember).where(PanelMember.case_id == case_id)).all()}


def test_an_ordinary_civil_case_gets_a_panel_of_three_drawn_reproducibly(db, world):
    case_id = file(db, world)
    designate(db, world, case_id)
    seats = panel(db, case_id)
    assert len(seats) == 3 and seats[world.users["judge_a"].id] == "lead"
    assert sorted(seats.values()) == ["lead", "member", "member"]
    with db.read() as s:
        draws = s.exec(select(AssignmentDraw).where(AssignmentDraw.method == "panel")).all()
        assert {d.result_judge_id for d in draws} == {u for u, r in seats.items() if r == "member"}
        assert all(ok for _, ok in verify_draws(s, case_id))
        told = s.exec(select(CaseNode).where(CaseNode.case_id == case_id, CaseNode.node == "panel_told")).one()
    assert told.planned_on == date(2025, 1, 10)


def test_a_simplified_case_is_tried_by_a_sole_judge(db, world):
    case_id = file(db, world, procedure="civil-first-simplified")
    designate(db, world, case_id)
    assert panel(db, case_id) == {world.users["judge_a"].id: "lead"}


def test_a_member_changes_only_with_approval_then_the_parties_are_told_and_the_new_member_credited(db, world):
    case_id = file(db, world)
    designate(db, world, case_id)
    out = next(u for u, r in panel(db, case_id).items() if r == "member")
    free = next(u.id for name, u in world.users.items()
                if name in ("judge_a", "judge_b", "judge_c", "chief", "english_judge") and u.id not in panel(db, case_id))
    with pytest.raises(Refused, match="does not sit on this case's panel"):
        act(db, "judge_a", "cases", case_id, "request_reassignment",
            {"reason_code": "回避", "reason": "与当事人有亲属关系", "member_id": free}, "2025-01-08")
    act(db, "judge_a", "cases", case_id, "request_reassignment",
        {"reason_code": "回避", "reason": "与当事人有亲属关系", "member_id": out, "to_judge_id": free}, "2025-01-08")
    with db.read() as s:
        req_id = s.exec(select(ReassignmentRequest.id)).one()
    for who in ("judge_a", "judge_b"):                                 # the requester; a colleague
        with pytest.raises(Refused):
            act(db, who, "reassignments", req_id, "approve", {}, "2025-01-09")
    assert out in panel(db, case_id) and free not in panel(db, case_id)

    act(db, "chief", "reassignments", req_id, "approve", {}, "2025-01-09")
    seats = panel(db, case_id)
    assert out not in seats and seats[free] == "member" and len(seats) == 3
    assert seats[world.users["judge_a"].id] == "lead"
    with db.read() as s:
        serve = s.exec(select(Task).where(Task.kind == "serve_party_notice")).all()
        told = s.exec(select(CaseNode).where(CaseNode.case_id == case_id, CaseNode.node == "panel_told")).one()
    assert any("合议庭成员变更为" in t.context["text"] for t in serve)
    assert (told.trigger_on, told.planned_on) == (date(2025, 1, 9), date(2025, 1, 13))   # 3 days: Sunday → Monday

    act(db, "judge_a", "cases", case_id, "hold_hearing", {"on": "2025-02-10"}, "2025-02-10")
    act(db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-20", "document_ref": "（2025）辽0102民初1号"},
        "2025-02-20")
    act(db, "judge_a", "cases", case_id, "close",
        {"closed_on": "2025-02-21", "closing_method": "判决", "decision_doc_ref": "（2025）辽0102民初1号"}, "2025-02-21")
    with db.read() as s:
        court = world.courts["hp"].id
        figures = member_figures(s, policy(s, court, "assessment"), Period.month_of(date(2025, 2, 1)), [court])
    assert free in figures and figures[free]["closed"] == 1
    assert out not in figures and world.users["judge_a"].id not in figures
