"""合议庭 (SPEC §1.4): a panel drawn at assignment and verifiable; a member changed only by an approved
request, the parties told and the new member credited in assessment and kept off quality review."""
from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from policies.periods import Period
from services.assessment.metrics import member_figures
from services.cases.assignment import verify_draws
from services.kernel.actor import load_actor
from services.kernel.errors import Invalid, Refused
from services.kernel.policy import policy
from services.cases.filing import CaseCreate, file_case
from store.models import (AssignmentDraw, Case, CaseNode, InterferenceRecord, PanelMember, PartyNotice, ReassignmentRequest,
                          RoleGrant, Task, User)
from tests.case_helpers import act, actor, at, case_row, designate, file
from tests.factories import add_user, small_world
from tests.integration.conftest import login
from tests.integration.test_pages import page_login


@pytest.fixture
def world(db):
    return small_world(db)


def panel(db, case_id) -> dict[int, str]:
    with db.read() as s:
        return {m.user_id: m.role for m in s.exec(select(PanelMember).where(PanelMember.case_id == case_id)).all()}


def closed_in_february(db, world, case_id) -> dict[int, dict]:
    """The case heard, decided and closed in February 2025: the panel members' credits of that month."""
    act(db, "judge_a", "cases", case_id, "hold_hearing", {"on": "2025-02-10"}, "2025-02-10")
    act(db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-20", "document_ref": "（2025）辽0102民初1号"},
        "2025-02-20")
    act(db, "judge_a", "cases", case_id, "close",
        {"closed_on": "2025-02-21", "closing_method": "判决", "decision_doc_ref": "（2025）辽0102民初1号"}, "2025-02-21")
    with db.read() as s:
        court = world.courts["hp"].id
        return member_figures(s, policy(s, court, "assessment"), Period.month_of(date(2025, 2, 1)), [court])


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


def test_a_simplified_case_converted_to_ordinary_gets_its_panel_by_a_draw_that_verifies_and_the_parties_are_told(any_db):
    world = small_world(any_db)
    case_id = file(any_db, world, procedure="civil-first-simplified")
    designate(any_db, world, case_id)
    with any_db.write() as s:                                        # judge_b is barred from the case
        s.add(InterferenceRecord(case_id=case_id, court_id=world.courts["hp"].id, recorded_by=world.users["filing"].id,
                                 source="outside", person_name="审判员乙", person_user_id=world.users["judge_b"].id,
                                 occurred_on=date(2025, 2, 3), manner="phone", asked="打听案情", response="如实记录"))
    act(any_db, "judge_a", "cases", case_id, "convert_to_ordinary", {"reason": "案情复杂"}, "2025-02-10")
    seats = panel(any_db, case_id)
    members = {u for u, r in seats.items() if r == "member"}
    assert seats[world.users["judge_a"].id] == "lead"                # the lead judge stays and presides
    assert members == {world.users["judge_c"].id, world.users["english_judge"].id}  # not the chief, not judge_b
    with any_db.read() as s:
        draws = s.exec(select(AssignmentDraw).where(AssignmentDraw.case_id == case_id,
                                                    AssignmentDraw.method == "panel")).all()
        assert all(ok for _, ok in verify_draws(s, case_id))
        told = s.exec(select(CaseNode).where(CaseNode.case_id == case_id, CaseNode.node == "panel_told",
                                             CaseNode.trigger_on == date(2025, 2, 10))).one()
        notice = s.exec(select(PartyNotice).where(PartyNotice.case_id == case_id)).one()
        task = s.exec(select(Task).where(Task.id == told.task_id)).one()
    assert {d.result_judge_id for d in draws} == members and len(draws) == 2
    assert all(world.users[n].id not in d.candidates for d in draws for n in ("chief", "judge_b"))
    assert told.planned_on == date(2025, 2, 13) and told.done_on is None and task.state == "open"
    assert notice.kind == "converted_to_ordinary" and "由judge_a担任审判长" in notice.text
    assert "2025年7月7日" in notice.text and case_row(any_db, case_id).procedure == "civil-first-ordinary"


def test_a_conversion_in_a_division_with_one_judge_is_refused_in_words_and_changes_nothing(any_db, client):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "filing_sh", "sh", ["filing_clerk"])
    data = CaseCreate(case_number="（2025）辽0103民初1号", cause="民间借贷纠纷", procedure="civil-first-simplified",
                      division_id=world.divisions["sh_civil"].id, filed_on=date(2025, 1, 6))
    case_id = file_case(any_db, actor(any_db, "filing_sh"), data, at("2025-01-06"))
    act(any_db, "chief_sh", "cases", case_id, "assign",
        {"method": "designated", "judge_id": world.users["judge_sh"].id, "reason": "专业审判团队"})
    before = case_row(any_db, case_id)
    with any_db.read() as s:
        nodes = s.exec(select(CaseNode.node, CaseNode.planned_on)).all()
    r = client.post(f"/api/v1/cases/{case_id}/transitions", headers=login(client, "judge_sh"),
                    json={"event": "convert_to_ordinary", "payload": {"reason": "案情复杂"}})
    assert r.status_code == 409 and r.json()["code"] == "refused.cases.too_few_judges_for_panel"
    assert r.json()["message"] == "本部门符合条件的法官不足以组成3人合议庭"
    after = case_row(any_db, case_id)
    assert (after.procedure, after.deadline, after.version) == ("civil-first-simplified", before.deadline, before.version)
    assert panel(any_db, case_id) == {world.users["judge_sh"].id: "lead"}
    with any_db.read() as s:
        assert s.exec(select(CaseNode.node, CaseNode.planned_on)).all() == nodes
        assert s.exec(select(AssignmentDraw).where(AssignmentDraw.method == "panel")).all() == []
        assert s.exec(select(PartyNotice)).all() == []


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

    figures = closed_in_february(db, world, case_id)
    assert free in figures and figures[free]["closed"] == 1
    assert out not in figures and world.users["judge_a"].id not in figures


# 人民陪审员 (人民陪审员法 第十四条至第十七条; assignment.yaml panels.assessors)

def with_assessors(db, world, n: int, court: str = "hp") -> list[int]:
    with db.write() as s:
        return [add_user(s, world, f"assessor_{court}_{i}", court, ["assessor"]).id for i in range(n)]


def assign_with(db, world, case_id, ground, judge="judge_a", day="2025-01-07"):
    return act(db, "chief", "cases", case_id, "assign", {"method": "designated", "judge_id": world.users[judge].id,
                                                         "reason": "专业审判团队", "assessor_ground": ground}, day)


def test_a_seven_person_panel_seats_three_judges_and_four_assessors_each_draw_reproducible(db, world):
    pool = with_assessors(db, world, 6)
    case_id = file(db, world)
    assign_with(db, world, case_id, "public_interest_suit")            # 第十六条第二项: 公益诉讼
    seats = panel(db, case_id)
    assert sorted(seats.values()) == ["assessor"] * 4 + ["lead"] + ["member"] * 2
    assert seats[world.users["judge_a"].id] == "lead"
    assert {u for u, r in seats.items() if r == "assessor"} <= set(pool)
    with db.read() as s:
        draws = [(d, ok) for d, ok in verify_draws(s, case_id) if d.method == "assessor"]
        assert s.get(Case, case_id).assessor_ground == "public_interest_suit"
    assert len(draws) == 4 and all(ok for _, ok in draws)
    assert {d.result_judge_id for d, _ in draws} == {u for u, r in seats.items() if r == "assessor"}
    assert all(set(d.candidates) <= set(pool) for d, _ in draws)     # drawn among the court's pool only


def test_a_three_person_panel_with_assessors_has_one_judge_who_presides(db, world):
    pool = with_assessors(db, world, 3)
    ids = [file(db, world, number=f"（2025）辽0102民初{n}号") for n in range(1, 5)]
    for case_id in ids:                                                 # the ordinary random draw of the lead
        act(db, "chief", "cases", case_id, "assign", {"assessor_ground": "complex"})
    judges = {world.users[n].id for n in ("judge_a", "judge_b", "judge_c", "english_judge", "chief")}
    for case_id in ids:
        seats = panel(db, case_id)
        assert sorted(seats.values()) == ["assessor", "assessor", "lead"]
        lead = next(u for u, r in seats.items() if r == "lead")
        assert lead in judges and lead not in pool and lead == case_row(db, case_id).lead_judge_id
    with db.read() as s:
        leads = s.exec(select(AssignmentDraw.candidates).where(AssignmentDraw.method == "random")).all()
    assert all(not set(c) & set(pool) for c in leads)                  # an assessor is never a candidate to preside


def test_the_database_keeps_one_presiding_lead_and_known_seats(db, world):
    case_id = file(db, world)
    designate(db, world, case_id)
    member = next(u for u, r in panel(db, case_id).items() if r == "member")
    for role, user_id in (("lead", member), ("presiding", world.users["judge_b"].id)):
        with pytest.raises(IntegrityError):
            with db.write() as s:
                if role == "lead":
                    s.exec(update(PanelMember).where(PanelMember.user_id == user_id).values(role="lead"))
                else:
                    s.add(PanelMember(case_id=case_id, user_id=world.users["chief"].id, role=role, since=date(2025, 1, 7)))
                s.flush()


def test_a_court_without_enough_assessors_is_refused_by_message_and_nothing_is_seated(db, world):
    with_assessors(db, world, 3)
    with_assessors(db, world, 5, court="sh")                           # another court's pool does not count
    case_id = file(db, world)
    with pytest.raises(Refused) as refused:
        assign_with(db, world, case_id, "grave_crime")
    assert refused.value.message_id == "refused.cases.too_few_assessors"
    assert refused.value.params == {"needed": 4, "available": 3}
    assert "可抽取3名" in refused.value.text("zh_CN")
    assert panel(db, case_id) == {} and case_row(db, case_id).state == "filed"


def test_an_assessors_ground_is_checked_against_the_policy(db, world):
    with_assessors(db, world, 3)
    simplified = file(db, world, procedure="civil-first-simplified")
    with pytest.raises(Refused) as refused:
        assign_with(db, world, simplified, "complex")
    assert refused.value.message_id == "refused.cases.procedure_sits_without_assessors"
    ordinary = file(db, world, number="（2025）辽0102民初2号")
    with pytest.raises(Invalid) as invalid:
        assign_with(db, world, ordinary, "no_such_ground")
    assert invalid.value.message_id == "invalid.cases.unknown_assessor_ground"


def test_an_assessor_named_in_an_interference_record_is_never_drawn(db, world):
    pool = with_assessors(db, world, 3)
    case_id = file(db, world)
    with db.write() as s:
        s.add(InterferenceRecord(case_id=case_id, court_id=world.courts["hp"].id, recorded_by=world.users["filing"].id,
                                 source="outside", person_name="陪审员甲", person_user_id=pool[0],
                                 occurred_on=date(2025, 1, 6), manner="phone", asked="打听案情", response="如实记录"))
    with pytest.raises(Refused, match="Too few people's assessors"):   # two can be drawn, seven-person panels need four…
        assign_with(db, world, case_id, "grave_crime")
    assign_with(db, world, case_id, "complex")                          # …and the three-person panel gets them
    assert {u for u, r in panel(db, case_id).items() if r == "assessor"} == set(pool[1:])


def test_an_assessors_seat_changes_by_approval_to_an_assessor_drawn_never_picked(db, world):
    pool = with_assessors(db, world, 3)
    case_id = file(db, world)
    assign_with(db, world, case_id, "complex")
    out = next(u for u, r in panel(db, case_id).items() if r == "assessor")
    with pytest.raises(Refused) as refused:
        act(db, "judge_a", "cases", case_id, "request_reassignment",
            {"reason_code": "回避", "reason": "与当事人系同事", "member_id": out, "to_judge_id": world.users["judge_b"].id},
            "2025-01-08")
    assert refused.value.message_id == "refused.cases.assessor_drawn_not_picked"
    act(db, "judge_a", "cases", case_id, "request_reassignment",
        {"reason_code": "回避", "reason": "与当事人系同事", "member_id": out}, "2025-01-08")
    with db.read() as s:
        req_id = s.exec(select(ReassignmentRequest.id)).one()
    with pytest.raises(Refused):
        act(db, "judge_b", "reassignments", req_id, "approve", {}, "2025-01-09")
    assert out in panel(db, case_id)
    act(db, "chief", "reassignments", req_id, "approve", {}, "2025-01-09")
    seats = panel(db, case_id)
    assert out not in seats and sorted(seats.values()) == ["assessor", "assessor", "lead"]
    assert set(u for u, r in seats.items() if r == "assessor") <= set(pool)
    with db.read() as s:
        last = s.exec(select(AssignmentDraw).order_by(AssignmentDraw.id.desc())).first()
        told = s.exec(select(CaseNode).where(CaseNode.case_id == case_id, CaseNode.node == "panel_told",
                                             CaseNode.trigger_on == date(2025, 1, 9))).one()
        assert all(ok for _, ok in verify_draws(s, case_id))
    assert last.method == "assessor" and out not in last.candidates and seats[last.result_judge_id] == "assessor"
    assert told.planned_on == date(2025, 1, 13)


def test_an_assessor_is_not_credited_as_a_quota_judge_and_sees_nothing_of_the_court(db, world):
    pool = with_assessors(db, world, 2)
    case_id = file(db, world)
    assign_with(db, world, case_id, "complex")
    figures = closed_in_february(db, world, case_id)
    with db.read() as s:
        assessor = load_actor(s, s.get(User, pool[0]))
    assert not set(pool) & set(figures)
    assert assessor.grants == () and not assessor.can_see(world.courts["hp"].id, "/", None)


def test_the_api_refuses_a_short_pool_in_words_and_the_case_page_shows_the_panel(any_db, client):
    world = small_world(any_db)
    pool = with_assessors(any_db, world, 2)
    case_id = file(any_db, world, filed="2025-03-03")
    chief = login(client, "chief")
    body = {"method": "designated", "judge_id": world.users["judge_a"].id, "reason": "专业审判团队"}
    short = client.post(f"/api/v1/cases/{case_id}/transitions", headers=chief,
                        json={"event": "assign", "payload": {**body, "assessor_ground": "grave_crime"}})
    assert short.status_code == 409 and short.json()["code"] == "refused.cases.too_few_assessors"
    assert "需要4名，可抽取2名" in short.json()["message"]
    seated = client.post(f"/api/v1/cases/{case_id}/transitions", headers=chief,
                         json={"event": "assign", "payload": {**body, "assessor_ground": "party_request"}})
    assert seated.status_code == 200, seated.text
    page_login(client, "chief")
    html = client.get(f"/cases/{case_id}").text
    section = html.split('id="panel"')[1].split("</section>")[0]
    assert "审判组织" in section and "当事人申请人民陪审员参加审判" in section
    assert section.count('data-seat="assessor"') == 2 and section.count('data-seat="lead"') == 1
    assert all(f"assessor_hp_{i}" in section for i in range(len(pool))) and "judge_a" in section


def test_an_assessor_whose_grant_has_ended_is_not_drawn(db, world):
    pool = with_assessors(db, world, 3)
    with db.write() as s:
        grant = s.exec(select(RoleGrant).where(RoleGrant.user_id == pool[0])).one()
        grant.ends_on = date(2024, 12, 31)                               # left the pool at the end of 2024
    case_id = file(db, world)
    assign_with(db, world, case_id, "party_request")
    assert {u for u, r in panel(db, case_id).items() if r == "assessor"} == set(pool[1:])
