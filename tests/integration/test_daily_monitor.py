"""The daily monitor: warnings once per threshold, overdue, long-pending grades, overdue approvals."""
from datetime import date

import pytest
from sqlmodel import select

from policies.registry import build
from services.kernel.sweeps import run_daily_monitor
from store.models import Notice, Task
from services.cases.filing import CaseCreate, file_case
from tests.case_helpers import act, actor, at, designate, file
from tests.factories import add_user, small_world

POLICY = build("monitoring")


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def monitor(db, day: str):
    return run_daily_monitor(db, date.fromisoformat(day), at(day), policy=POLICY)


def kinds(db):
    with db.read() as s:
        return [(n.kind, n.context.get("days_left"), n.recipient_user_id) for n in s.exec(select(Notice).order_by(Notice.id))
                if n.kind.startswith("deadline")]


def test_each_threshold_warns_once_and_a_second_run_sends_nothing(any_db, world):
    case_id = file(any_db, world)  # deadline 2025-07-07
    designate(any_db, world, case_id)
    judge = world.users["judge_a"].id
    assert monitor(any_db, "2025-06-01").warnings == 0           # 36 days left
    assert monitor(any_db, "2025-06-10").warnings == 1           # 27 days: the 30-day warning
    assert monitor(any_db, "2025-06-10").warnings == 0           # same day again: nothing
    assert monitor(any_db, "2025-06-11").warnings == 0           # still inside the 30-day band
    assert monitor(any_db, "2025-06-30").warnings == 1           # 7 days: the 7-day warning (15 was skipped)
    assert monitor(any_db, "2025-07-04").warnings == 1           # 3 days
    result = monitor(any_db, "2025-07-08")
    assert (result.warnings, result.overdue) == (0, 2)           # overdue: the judge and the division chief
    assert monitor(any_db, "2025-07-09").overdue == 0
    assert kinds(any_db) == [("deadline_warning", 27, judge), ("deadline_warning", 7, judge),
                             ("deadline_warning", 3, judge), ("deadline_overdue", None, judge),
                             ("deadline_overdue", None, world.users["chief"].id)]


def test_a_stopped_clock_gets_no_warning(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "suspend", {"start": "2025-06-01", "reason": "等待另案结果"}, "2025-06-01")
    assert monitor(any_db, "2025-07-08").warnings == monitor(any_db, "2025-07-08").overdue == 0


def test_long_pending_cases_climb_to_the_chief_the_vice_president_and_the_president(any_db, world):
    case_id = file(any_db, world, filed="2023-01-06")
    designate(any_db, world, case_id, day="2023-01-07")
    assert monitor(any_db, "2024-01-05").long_pending_tasks == 0
    assert monitor(any_db, "2024-01-06").long_pending_tasks == 1      # 12 months → division chief
    assert monitor(any_db, "2024-07-06").long_pending_tasks == 1      # 18 months → vice president
    assert monitor(any_db, "2026-01-06").long_pending_tasks == 2      # 36 months → president + higher court office
    assert monitor(any_db, "2026-01-06").long_pending_tasks == 0
    with any_db.read() as s:
        tasks = s.exec(select(Task).where(Task.kind == "long_pending_supervision").order_by(Task.id)).all()
    assert [(t.assignee_role, t.court_id) for t in tasks] == [
        ("division_chief", world.courts["hp"].id), ("vice_president", world.courts["hp"].id),
        ("president", world.courts["hp"].id), ("trial_office", world.courts["mid"].id)]


def test_an_approval_left_past_its_due_date_goes_to_the_approvers_superior_once(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "request_reassignment", {"reason_code": "健康", "reason": "长期病假"}, "2025-01-10")
    with any_db.write() as s:
        task = s.exec(select(Task).where(Task.kind == "approve_reassignment")).one()
        task.due_on = date(2025, 1, 13)
        s.add(task)
    assert monitor(any_db, "2025-01-13").escalated_approvals == 0
    assert monitor(any_db, "2025-01-14").escalated_approvals == 1
    assert monitor(any_db, "2025-01-15").escalated_approvals == 0
    with any_db.read() as s:
        sup = s.exec(select(Task).where(Task.kind == "supervise_overdue_approval")).one()
        original = s.exec(select(Task).where(Task.kind == "approve_reassignment")).one()
    assert sup.assignee_role == "vice_president" and original.escalation_level == 1


def test_each_court_is_swept_with_its_own_thresholds(any_db, world):
    """沈河 sets warnings at 60 days; 和平 keeps the default 30/15/7/3. One run sweeps both."""
    from store.models import PolicyOverride

    hp_case = file(any_db, world)                                      # 和平, deadline 2025-07-07
    designate(any_db, world, hp_case)
    with any_db.write() as s:
        add_user(s, world, "filing_sh", "sh", ["filing_clerk"])
    sh_case = file_case(any_db, actor(any_db, "filing_sh"),
                        CaseCreate(case_number="（2025）辽0103民初1号", cause="民间借贷纠纷", procedure="civil-first-ordinary",
                                   division_id=world.divisions["sh_civil"].id, filed_on=date(2025, 1, 6)),
                        at("2025-01-06"))
    act(any_db, "chief_sh", "cases", sh_case, "assign",
        {"method": "designated", "judge_id": world.users["judge_sh"].id, "reason": "专业审判团队"})
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["sh"].id, name="monitoring",
                             data={"warnings": {"days_before": [60]}}))

    result = run_daily_monitor(any_db, date(2025, 5, 10), at("2025-05-10"))   # 58 days before both deadlines

    assert result.warnings == 1
    assert [(k, judge) for k, _, judge in kinds(any_db)] == [("deadline_warning", world.users["judge_sh"].id)]
