"""The petition sweeps of the daily monitor: who is told at each stage, once; nothing after the answer."""
from datetime import date

import pytest
from sqlmodel import select

from flows.daily_monitor import daily_monitor
from services.kernel.sweeps import run_daily_monitor
from store.models import Notice, Task, User
from tests.case_helpers import act, at
from tests.factories import small_world
from tests.petition_helpers import register


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def petition_sweeps(db, day: str) -> dict[str, int]:
    extra = run_daily_monitor(db, date.fromisoformat(day), at(day)).extra
    return {k: v for k, v in extra.items() if k.startswith("petition_")}


def told(db, kind: str) -> list[str]:
    with db.read() as s:
        stmt = (select(User.username).join(Notice, Notice.recipient_user_id == User.id)
                .where(Notice.kind == kind).order_by(Notice.id))
        return list(s.exec(stmt).all())


def test_an_unassigned_late_petition_warns_the_trial_office_and_escalates_to_the_president(any_db, world):
    petition_id = register(any_db, world, day="2025-03-03")
    assert petition_sweeps(any_db, "2025-03-19")["petition_warnings"] == 1
    assert told(any_db, "petition_overdue") == ["office"]
    assert petition_sweeps(any_db, "2025-03-23")["petition_escalations"] == 3
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "supervise_late_petition")).one()
    assert (task.subject_id, task.assignee_role, task.court_id, task.due_on) == (
        petition_id, "president", world.courts["hp"].id, date(2025, 3, 26))
    assert told(any_db, "petition_escalation") == ["president", "office"]


def test_each_court_escalates_to_the_role_its_own_policy_names(any_db, world):
    from store.models import PolicyOverride
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["sh"].id, name="petitions",
                             data={"escalation": {"task_role": "vice_president", "recipients": ["trial_office"]}}))
    register(any_db, world, day="2025-03-03")
    register(any_db, world, day="2025-03-03", court_id=world.courts["sh"].id, who="mid_office")
    # 沈河: the task only (its trial office sits in the intermediate court); 和平: the task and two notices
    assert petition_sweeps(any_db, "2025-03-23")["petition_escalations"] == 1 + 3
    with any_db.read() as s:
        tasks = s.exec(select(Task).where(Task.kind == "supervise_late_petition")).all()
        roles = {(t.court_id, t.assignee_role) for t in tasks}
    assert roles == {(world.courts["hp"].id, "president"), (world.courts["sh"].id, "vice_president")}


def test_answered_and_merged_petitions_are_not_chased(any_db, world):
    answered = register(any_db, world, day="2025-03-03")
    earlier = register(any_db, world, day="2025-03-03", petitioner="李某")
    merged = register(any_db, world, day="2025-03-04", petitioner="李某")
    act(any_db, "office", "petitions", answered, "assign", {"division_id": world.divisions["hp_civil"].id,
                                                            "handler_user_id": world.users["judge_b"].id}, "2025-03-04")
    act(any_db, "judge_b", "petitions", answered, "answer", {"answer": "已答复", "delivery_method": "phone"},
        "2025-03-05")
    act(any_db, "office", "petitions", merged, "merge", {"into_petition_id": earlier, "reason": "重复来信"},
        "2025-03-05")
    petition_sweeps(any_db, "2025-03-30")
    with any_db.read() as s:
        chased = set(s.exec(select(Notice.subject_id).where(Notice.kind.in_(
            ("petition_reminder", "petition_overdue", "petition_escalation")))).all())
    assert chased == {earlier}


def test_the_daily_monitor_flow_run_twice_for_a_day_sends_no_petition_notice_the_second_time(prefect_server, db):
    world = small_world(db)
    register(db, world, day="2025-03-03")
    first = daily_monitor(as_of=date(2025, 3, 23), database_url=db.url)
    second = daily_monitor(as_of=date(2025, 3, 23), database_url=db.url)
    assert (first["extra"]["petition_warnings"], first["extra"]["petition_escalations"]) == (1, 3)
    assert all(n == 0 for n in second["extra"].values())
