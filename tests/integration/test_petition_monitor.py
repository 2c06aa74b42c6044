"""有信必复 in the daily monitor: the chase of a petition's tasks tells who the policy names at each stage, once;
nothing after the answer."""
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


def monitor(db, day: str) -> dict[str, int]:
    return run_daily_monitor(db, date.fromisoformat(day), at(day)).extra


def assign(db, world, petition_id: int, day: str = "2025-03-04", **handler) -> None:
    act(db, "office", "petitions", petition_id, "assign", {"division_id": world.divisions["hp_civil"].id, **handler},
        day)


def told(db, kind: str) -> list[str]:
    with db.read() as s:
        stmt = (select(User.username).join(Notice, Notice.recipient_user_id == User.id)
                .where(Notice.kind == kind).order_by(Notice.id))
        return list(s.exec(stmt).all())


def test_an_unassigned_petition_is_chased_through_its_assignment_the_office_then_the_president(any_db, world):
    petition_id = register(any_db, world, day="2025-03-03")         # the office assigns it by 03-06
    monitor(any_db, "2025-03-07")
    assert told(any_db, "task_overdue") == ["office"]
    monitor(any_db, "2025-03-09")
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.escalates_task_id.is_not(None))).one()
    assert (task.subject_id, task.assignee_role, task.court_id, task.due_on) == (
        petition_id, "president", world.courts["hp"].id, date(2025, 3, 12))
    assert told(any_db, "task_escalated") == ["president"]


def test_a_late_answer_warns_the_handler_chief_and_office_and_escalates_to_the_president(any_db, world):
    petition_id = register(any_db, world, day="2025-03-03")         # due 03-18
    assign(any_db, world, petition_id)                               # offered to the division's chief
    monitor(any_db, "2025-03-19")
    assert told(any_db, "task_overdue") == ["chief", "office"]
    assert monitor(any_db, "2025-03-22")["task_escalations"] == 0
    assert monitor(any_db, "2025-03-23")["task_escalations"] == 1
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "supervise_late_petition")).one()
    assert (task.subject_id, task.assignee_role, task.court_id, task.due_on) == (
        petition_id, "president", world.courts["hp"].id, date(2025, 3, 26))
    assert told(any_db, "task_escalated") == ["president", "office"]
    assert monitor(any_db, "2025-03-23")["task_escalations"] == 0


def test_each_court_escalates_to_the_role_its_own_policy_names(any_db, world):
    from store.models import PolicyOverride
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["sh"].id, name="monitoring",
                             data={"chase": {"kinds": {"answer_petition": {
                                 "remind_days_before": 3, "escalate_after_days": 4, "escalate_to": "vice_president",
                                 "escalation_kind": "supervise_late_petition"}}}}))
    assign(any_db, world, register(any_db, world, day="2025-03-03"))
    in_sh = register(any_db, world, day="2025-03-03", court_id=world.courts["sh"].id, who="mid_office")
    with any_db.write() as s:   # 沈河's chief answers it (a task offered to the role there)
        s.add(Task(kind="answer_petition", title="答复信访", subject_kind="petitions", subject_id=in_sh,
                   court_id=world.courts["sh"].id, assignee_role="division_chief", due_on=date(2025, 3, 18),
                   state="open", dedupe_key=f"answer_petition:{in_sh}"))
    monitor(any_db, "2025-03-23")
    with any_db.read() as s:
        tasks = s.exec(select(Task).where(Task.kind == "supervise_late_petition")).all()
        roles = {(t.court_id, t.assignee_role) for t in tasks}
    assert roles == {(world.courts["hp"].id, "president"), (world.courts["sh"].id, "vice_president")}


def test_answered_and_merged_petitions_are_not_chased(any_db, world):
    answered = register(any_db, world, day="2025-03-03")
    earlier = register(any_db, world, day="2025-03-03", petitioner="李某")
    merged = register(any_db, world, day="2025-03-04", petitioner="李某")
    assign(any_db, world, answered, handler_user_id=world.users["judge_b"].id)
    assign(any_db, world, earlier)
    act(any_db, "judge_b", "petitions", answered, "answer", {"answer": "已答复", "delivery_method": "phone"},
        "2025-03-05")
    act(any_db, "office", "petitions", merged, "merge", {"into_petition_id": earlier, "reason": "重复来信"},
        "2025-03-05")
    monitor(any_db, "2025-03-30")
    with any_db.read() as s:
        chased = set(s.exec(select(Notice.subject_id).where(Notice.kind.in_(
            ("task_due_soon", "task_overdue", "task_escalated")), Notice.created_at > at("2025-03-10"))).all())
    assert chased == {earlier}


def test_the_daily_monitor_flow_run_twice_for_a_day_sends_no_petition_notice_the_second_time(prefect_server, db):
    world = small_world(db)
    assign(db, world, register(db, world, day="2025-03-03"))
    first = daily_monitor(as_of=date(2025, 3, 23), database_url=db.url)
    second = daily_monitor(as_of=date(2025, 3, 23), database_url=db.url)
    assert (first["extra"]["tasks_overdue"], first["extra"]["task_escalations"]) == (2, 1)
    assert all(n == 0 for n in second["extra"].values())
