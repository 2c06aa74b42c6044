"""Petitions (信访): registered complete, assigned, answered, closed or merged; refusals store nothing."""
from datetime import date

import pytest
from sqlmodel import func, select

from services.kernel.errors import Conflict, Invalid, NotFound, Refused
from store.models import DossierEntry, Notice, Petition, Task, TraceEntry
from tests.case_helpers import act, designate, file
from tests.factories import small_world
from tests.petition_helpers import proposals, register

NUMBER = "（2025）辽0102民初1号"


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def counts(db) -> tuple[int, int, int]:
    with db.read() as s:
        return tuple(s.exec(select(func.count()).select_from(m)).one() for m in (Petition, Task, Notice))


def trace_actions(db) -> list[str]:
    with db.read() as s:
        return list(s.exec(select(TraceEntry.action).order_by(TraceEntry.seq)).all())


def petition(db, petition_id) -> Petition:
    with db.read() as s:
        return s.get(Petition, petition_id)


def test_registering_fixes_the_answer_date_and_gives_the_trial_office_a_task(any_db, world):
    petition_id = register(any_db, world, day="2025-09-20")
    row = petition(any_db, petition_id)
    # 2025-09-20 + 15 days = 10-05, inside the National Day holiday → the next working day 10-09
    assert (row.state, row.due_on, row.remind_on, row.escalate_on) == (
        "registered", date(2025, 10, 9), date(2025, 10, 6), date(2025, 10, 14))
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.subject_kind == "petitions")).one()
    assert (task.kind, task.assignee_role, task.due_on) == ("assign_petition", "trial_office", date(2025, 9, 23))
    assert "petitions.register" in trace_actions(any_db)


def test_a_court_can_count_the_period_in_working_days(any_db, world):
    from store.models import PolicyOverride
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="petitions",
                             data={"answer": {"period": 15, "day_kind": "working"}}))
    assert petition(any_db, register(any_db, world, day="2025-03-03")).due_on == date(2025, 3, 24)


@pytest.mark.parametrize("fields, field, message", [
    ({"petitioner": "  "}, "petitioner", "petitioner (信访人): the name is missing"),
    ({"case_number": "（2025）辽0102民初999号"}, "case_number", "no case （2025）辽0102民初999号 is on file"),
    ({"summary": ""}, "summary", "what it asks and why"),
    ({"channel": "fax"}, "channel", "unknown channel 'fax'"),
    ({"matter": "judge_conduct"}, "named_person", "names the person it is about"),
])
def test_an_incomplete_registration_is_refused_names_the_field_stores_nothing_and_is_traced(
        any_db, world, fields, field, message):
    before = counts(any_db)
    with pytest.raises(Invalid) as refused:
        register(any_db, world, **fields)
    assert refused.value.field == field and message in refused.value.message
    assert counts(any_db) == before
    assert trace_actions(any_db)[-1] == "refused:petitions.register"


def test_only_the_trial_office_or_a_filing_clerk_registers(any_db, world):
    with pytest.raises(Refused, match="only the trial office or a filing clerk"):
        register(any_db, world, who="judge_a")
    assert counts(any_db)[0] == 0
    assert register(any_db, world, who="filing")


def test_a_petition_is_assigned_answered_and_closed_and_the_answer_is_credited(any_db, world):
    petition_id = register(any_db, world)
    judge_b = world.users["judge_b"].id
    act(any_db, "office", "petitions", petition_id, "assign",
        {"division_id": world.divisions["hp_civil"].id, "handler_user_id": judge_b}, "2025-03-04")
    with any_db.read() as s:
        tasks = {t.kind: (t.state, t.assignee_user_id) for t in s.exec(select(Task)).all()}
        assigned = s.exec(select(Notice).where(Notice.kind == "petition_assigned")).one()
    assert tasks == {"assign_petition": ("done", None), "answer_petition": ("open", judge_b)}
    assert assigned.recipient_user_id == judge_b and assigned.context["due_on"] == "2025-03-18"

    with pytest.raises(Refused, match="only the petition's handler or the chief"):
        act(any_db, "judge_a", "petitions", petition_id, "answer",
            {"answer": "已督促", "delivery_method": "phone"}, "2025-03-05")
    with pytest.raises(Invalid, match="delivery method"):
        act(any_db, "judge_b", "petitions", petition_id, "answer",
            {"answer": "已督促", "delivery_method": "pigeon"}, "2025-03-05")
    done = act(any_db, "judge_b", "petitions", petition_id, "answer",
               {"answer": "案件已排期开庭，将依法审理", "delivery_method": "mail"}, "2025-03-10")
    assert (done["state"], done["answered_on"], done["answered_late"]) == ("answered", date(2025, 3, 10), False)
    closed = act(any_db, "office", "petitions", petition_id, "close", {"note": "信访人表示满意"}, "2025-03-11")
    assert closed["state"] == "closed" and closed["allowed_events"] == []
    with any_db.read() as s:
        entry = s.exec(select(DossierEntry)).one()
        answer_task = s.exec(select(Task).where(Task.kind == "answer_petition")).one()
    assert (entry.user_id, entry.kind, entry.detail["late"]) == (judge_b, "petition_answered", False)
    assert answer_task.state == "done"


def test_the_handler_must_work_in_the_division_and_may_not_be_the_person_named(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    petition_id = register(any_db, world, case_number=NUMBER, matter="judge_conduct",
                           named_user_id=world.users["judge_a"].id)
    civil = world.divisions["hp_civil"].id
    with pytest.raises(Invalid, match="does not work in hp_civil"):
        act(any_db, "office", "petitions", petition_id, "assign",
            {"division_id": civil, "handler_user_id": world.users["judge_sh"].id}, "2025-03-04")
    with pytest.raises(Refused, match="not handled by that person"):
        act(any_db, "office", "petitions", petition_id, "assign",
            {"division_id": civil, "handler_user_id": world.users["judge_a"].id}, "2025-03-04")
    assert petition(any_db, petition_id).state == "registered"
    act(any_db, "office", "petitions", petition_id, "assign", {"division_id": civil}, "2025-03-04")
    with pytest.raises(NotFound):  # the person named does not even see it (need to know)
        act(any_db, "judge_a", "petitions", petition_id, "answer",
            {"answer": "我没有违法", "delivery_method": "phone"}, "2025-03-05")
    answered = act(any_db, "chief", "petitions", petition_id, "answer",
                   {"answer": "经查，承办法官不存在违法审判行为", "delivery_method": "in_person"}, "2025-03-05")
    assert answered["state"] == "answered"


def test_a_later_petition_on_the_same_case_is_merged_into_the_earlier_one(any_db, world):
    case_id = file(any_db, world)
    first = register(any_db, world, case_number=NUMBER)
    second = register(any_db, world, case_number=NUMBER, petitioner="李某", channel="visit")
    other = register(any_db, world, petitioner="赵某")
    with pytest.raises(Refused, match="not on the same matter"):
        act(any_db, "office", "petitions", other, "merge", {"into_petition_id": first, "reason": "同一事项"})
    with pytest.raises(Invalid, match="no earlier petition"):
        act(any_db, "office", "petitions", first, "merge", {"into_petition_id": second, "reason": "同一事项"})
    merged = act(any_db, "office", "petitions", second, "merge",
                 {"into_petition_id": first, "reason": "同一案件重复信访"})
    assert (merged["state"], merged["merged_into_id"]) == ("merged", first)
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.subject_id == second, Task.subject_kind == "petitions")).one()
    assert task.state == "cancelled" and case_id


def test_a_petition_naming_a_judges_conduct_proposes_the_four_type_flag_once(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    named = register(any_db, world, case_number=NUMBER, matter="judge_conduct", named_user_id=world.users["judge_a"].id,
                     summary="反映承办法官私下会见一方当事人")
    register(any_db, world, case_number=NUMBER, matter="case_progress", named_user_id=world.users["judge_a"].id)
    register(any_db, world, case_number=NUMBER, matter="judge_conduct", named_person="书记员某某")
    assert proposals(any_db) == [(case_id, 4, f"petition:{named}", "proposed")]
    assert petition(any_db, named).four_type_proposal_id is not None


def test_two_offices_assigning_at_once_one_wins_and_the_other_gets_409(any_db, world):
    petition_id = register(any_db, world)
    civil = {"division_id": world.divisions["hp_civil"].id}
    act(any_db, "office", "petitions", petition_id, "assign", civil, "2025-03-04", expected_version=1)
    with pytest.raises(Conflict, match="version 1 is stale"):
        act(any_db, "office", "petitions", petition_id, "assign", civil, "2025-03-04", expected_version=1)
