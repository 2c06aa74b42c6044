"""The daily monitor and quota exits: reminders before each of the judge's windows closes, a missed window
recorded while the proceeding goes on; the committee's decision chased (reminded, overdue, escalated to the
president with the proceeding's record of it) — once each."""
from datetime import date

import pytest
from sqlmodel import select

from services.kernel.dossier import dossier_entries
from services.kernel.sweeps import run_daily_monitor
from store.models import Task
from tests.case_helpers import at
from tests.exit_helpers import exit_world, fire, notice_kinds, proceeding, through_statement, traced, windows

@pytest.fixture
def world(any_db):
    return exit_world(any_db)


def monitor(db, day: str) -> int:
    return run_daily_monitor(db, date.fromisoformat(day), at(day)).extra["quota_exit_windows"]


def chase(db, day: str) -> tuple[int, int, int]:
    """The daily chase's (reminders, overdue notices, escalations) of the day's monitor run."""
    extra = run_daily_monitor(db, date.fromisoformat(day), at(day)).extra
    return extra["task_reminders"], extra["tasks_overdue"], extra["task_escalations"]


def open_tasks(db, kind):
    with db.read() as s:
        return s.exec(select(Task).where(Task.kind == kind, Task.state == "open")).all()


def test_a_missed_statement_period_is_recorded_once_and_the_proceeding_goes_on(any_db, world):
    pid = through_statement(any_db, world)                        # period ends 2025-03-14
    judge = world.users["judge_a"].id
    assert monitor(any_db, "2025-03-10") == 0
    assert monitor(any_db, "2025-03-11") == 1                     # reminder to the judge
    assert monitor(any_db, "2025-03-14") == 0                     # last day: still open, reminded already
    assert monitor(any_db, "2025-03-15") == 1                     # ended with nothing filed: missed
    assert monitor(any_db, "2025-03-16") == 0
    assert windows(any_db, pid)["statement"].state == "missed"
    [missed] = traced(any_db, "exit_proceedings.window_missed")
    assert (missed.actor, missed.subject_id, missed.after["window"]) == ("system", pid, "statement")
    with any_db.read() as s:
        assert any("未在陈述申辩期内提出" in e.title for e in dossier_entries(s, judge, 2025))
    assert notice_kinds(any_db, "exit_window_") == [("exit_window_opened", judge), ("exit_window_reminder", judge),
                                                    ("exit_window_missed", world.users["hr"].id)]
    assert [t.assignee_role for t in open_tasks(any_db, "exit_start_review")] == ["committee"]
    assert open_tasks(any_db, "exit_statement") == []
    assert fire(any_db, "committee_a", pid, "start_review", day="2025-03-17")["state"] == "committee_review"
    assert open_tasks(any_db, "exit_start_review") == []


def test_the_committee_is_reminded_before_its_decision_is_due_and_the_president_told_when_overdue(any_db, world):
    pid = through_statement(any_db, world)
    fire(any_db, "judge_a", pid, "waive", day="2025-03-05")
    fire(any_db, "committee_a", pid, "start_review", day="2025-03-06")
    due = windows(any_db, pid)["committee_decision"].closes_on    # 30 days, rolled to a working day
    assert due == date(2025, 4, 7)
    members = {world.users["committee_a"].id, world.users["committee_b"].id}
    president = world.users["president"].id
    assert chase(any_db, "2025-04-04") == (2, 0, 0)               # both members, 3 days before
    assert chase(any_db, "2025-04-07") == (0, 0, 0)
    assert chase(any_db, "2025-04-08") == (0, 2, 1)               # overdue: the members told, the president's task
    assert chase(any_db, "2025-04-08") == chase(any_db, "2025-04-09") == (0, 0, 0)
    kinds = notice_kinds(any_db, "task_")
    assert {u for k, u in kinds if k == "task_due_soon"} == {u for k, u in kinds if k == "task_overdue"} == members
    assert [u for k, u in kinds if k == "task_escalated"] == [president]
    [task] = open_tasks(any_db, "supervise_overdue_task")
    [decide] = open_tasks(any_db, "exit_decide")
    assert (task.assignee_user_id, task.due_on, task.escalates_task_id) == (president, date(2025, 4, 11), decide.id)
    assert windows(any_db, pid)["committee_decision"].escalated_on == date(2025, 4, 8)
    [overdue] = traced(any_db, "exit_proceedings.window_overdue")          # the record of it, once
    assert (overdue.subject_id, overdue.after["escalated_to"]) == (pid, "president")
    fire(any_db, "committee_a", pid, "decide", {"outcome": "exit", "reason": "考核不合格"}, "2025-04-09")
    assert windows(any_db, pid)["committee_decision"].state == "met"
    assert open_tasks(any_db, "supervise_overdue_task") == []
    assert proceeding(any_db, pid).state == "decided"
