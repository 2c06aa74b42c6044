"""A petition naming the judge of a case, answered late: the daily chase of its answer task reminds, warns
and escalates it once each, the four-type proposal comes once, and the late answer is counted."""
from datetime import date

import pytest
from sqlmodel import select

from services.kernel.sweeps import run_daily_monitor
from services.petitions.facts import PetitionCount, petition_counts, petition_credits
from store.models import Notice, Task, User
from tests.case_helpers import act, at, designate, file
from tests.factories import small_world
from tests.petition_helpers import proposals, register

NUMBER = "（2025）辽0102民初1号"

@pytest.fixture
def world(any_db):
    return small_world(any_db)


def monitor(db, day: str) -> list[tuple[str, str]]:
    """The notices about petitions this day's monitor run wrote."""
    before = len(petition_notices(db))
    run_daily_monitor(db, date.fromisoformat(day), at(day))
    return petition_notices(db)[before:]


def petition_notices(db) -> list[tuple[str, str]]:
    """(kind, recipient's username) of every notice about a petition, in the order written."""
    with db.read() as s:
        stmt = (select(Notice.kind, User.username).join(User, User.id == Notice.recipient_user_id)
                .where(Notice.subject_kind == "petitions").order_by(Notice.id))
        return [tuple(row) for row in s.exec(stmt).all()]


NOTHING: list = []
REMINDED = [("task_due_soon", "judge_b"), ("task_due_soon", "chief")]        # the handler and the division chief
WARNED = [("task_overdue", "judge_b"), ("task_overdue", "chief"), ("task_overdue", "office")]  # and the office
ESCALATED = [("task_escalated", "president"), ("task_escalated", "office")]   # the president's task, the office


def test_a_petition_about_the_judge_answered_late_is_reminded_warned_escalated_and_proposed_once(
        any_db, world):
    db = any_db
    case_id = file(db, world)
    designate(db, world, case_id)                                    # judge_a leads the case
    petition_id = register(db, world, day="2025-03-03", case_number=NUMBER, matter="judge_conduct",
                           named_user_id=world.users["judge_a"].id, channel="visit",
                           summary="反映承办法官私下会见对方当事人")
    act(db, "office", "petitions", petition_id, "assign",
        {"division_id": world.divisions["hp_civil"].id, "handler_user_id": world.users["judge_b"].id}, "2025-03-04")
    # due 2025-03-18 (15 days), reminder from 03-15, escalation from 03-23
    assert monitor(db, "2025-03-14") == NOTHING
    assert monitor(db, "2025-03-15") == REMINDED
    assert monitor(db, "2025-03-15") == NOTHING                       # same day again: nothing
    assert monitor(db, "2025-03-18") == NOTHING                       # still reminded only once
    assert monitor(db, "2025-03-19") == WARNED
    assert monitor(db, "2025-03-19") == NOTHING
    assert monitor(db, "2025-03-23") == ESCALATED
    assert monitor(db, "2025-03-23") == NOTHING
    assert monitor(db, "2025-03-24") == NOTHING

    answered = act(db, "judge_b", "petitions", petition_id, "answer",
                   {"answer": "经调查核实，已移送监察室处理并当面告知", "delivery_method": "in_person"}, "2025-03-25")
    assert answered["answered_late"] is True
    assert monitor(db, "2025-03-26") == NOTHING

    assert petition_notices(db) == [("petition_assigned", "judge_b"), *REMINDED, *WARNED, *ESCALATED]
    with db.read() as s:
        escalation = s.exec(select(Task).where(Task.kind == "supervise_late_petition")).one()
        president = s.exec(select(User.id).where(User.username == "president")).one()
    assert (escalation.assignee_user_id, escalation.due_on, escalation.subject_id, escalation.state) == (
        president, date(2025, 3, 26), petition_id, "done")   # the answer settles it
    assert proposals(db) == [(case_id, 4, f"petition:{petition_id}", "proposed")]   # supervision decides it
    with db.read() as s:
        counted = petition_counts(s, date(2025, 3, 1), date(2025, 3, 31), date(2025, 3, 31))
        credits = petition_credits(s, date(2025, 3, 1), date(2025, 3, 31))
    assert counted == [PetitionCount(world.courts["hp"].id, world.divisions["hp_civil"].id, 1, 0, 1, 0)]
    assert credits == {world.users["judge_b"].id: 1}
