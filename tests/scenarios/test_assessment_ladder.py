"""SPEC §5 escalation ladder: a judge who misses the task 24 months running climbs every rung once,
in order; a judge who recovers stops climbing. The exit is opened through the quota-exit work (CONTRACTS C2)."""
from datetime import date

from sqlmodel import select

from services.assessment.monthly import run_monthly_assessment
from services.kernel.dossier import dossier_entries
from store.models import AssessmentRecord, ExitProceeding, LadderStep, Notice, Task
from tests.assessment_helpers import add_cases, moment, month_starts
from tests.factories import small_world


def walk(db, months: int, first=date(2025, 2, 1)) -> None:
    for as_of in month_starts(first, months):
        run_monthly_assessment(db, as_of, moment(as_of))


def steps_of(db, user_id) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.exec(select(LadderStep).where(LadderStep.user_id == user_id).order_by(LadderStep.id)).all()
    return [(r.step, r.period) for r in rows]


def test_twenty_four_months_missed_climb_the_whole_ladder_once_each_in_order(db):
    world = small_world(db)
    with db.write() as s:
        add_cases(s, world, "judge_a", 5, "2024-10-08")                       # never closes anything
        add_cases(s, world, "judge_b", 4, "2024-10-08", closed="2025-05-12")  # closes everything in May
    walk(db, 24)

    judge_a, judge_b = world.users["judge_a"].id, world.users["judge_b"].id
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    expected = []
    for i, month in enumerate(months, start=1):
        expected.append(("explanation", month))
        expected += {3: [("interview", month)], 6: [("admonishment", month)], 12: [("committee", "2025")],
                     24: [("exit", "2026")]}.get(i, [])
    assert steps_of(db, judge_a) == expected
    with db.read() as s:
        exits = s.exec(select(ExitProceeding)).all()
        exit_step = s.exec(select(LadderStep).where(LadderStep.step == "exit")).one()
    assert [(e.judge_id, e.ground, e.state, e.source) for e in exits] == [
        (judge_a, "assessment_failure", "opened", f"ladder:liaoning:exit:{judge_a}:2026")]
    assert (exit_step.state, exit_step.exit_proceeding_id) == ("exit_opened", exits[0].id)
    assert steps_of(db, judge_b) == [("explanation", "2025-01"), ("explanation", "2025-02"),
                                     ("explanation", "2025-03"), ("interview", "2025-03"), ("explanation", "2025-04")]


def test_the_steps_open_tasks_notices_and_dossier_records_and_a_rerun_adds_nothing(db):
    world = small_world(db)
    with db.write() as s:
        add_cases(s, world, "judge_a", 5, "2024-10-08")
    walk(db, 6)
    judge_a = world.users["judge_a"].id
    with db.read() as s:
        tasks = s.exec(select(Task).where(Task.subject_kind == "ladder_steps").order_by(Task.id)).all()
        counts = (len(s.exec(select(Notice)).all()), len(s.exec(select(AssessmentRecord)).all()))
    explanation_tasks = [t for t in tasks if t.kind == "file_explanation"]
    assert len(explanation_tasks) == 6 and all(t.assignee_user_id == judge_a for t in explanation_tasks)
    first = explanation_tasks[0]
    assert first.due_on == date(2025, 2, 10)  # 5 working days after Sat 1 Feb 2025 (Spring Festival make-up days)
    assert [(t.kind, t.assignee_role) for t in tasks if t.kind != "file_explanation"] == [
        ("schedule_interview", "division_chief"), ("schedule_admonishment", "president")]

    run_monthly_assessment(db, date(2025, 7, 1), moment(date(2025, 7, 1)))  # the same month again
    with db.read() as s:
        again = (len(s.exec(select(Notice)).all()), len(s.exec(select(AssessmentRecord)).all()))
        dossier = dossier_entries(s, judge_a, 2025)
    assert again == counts
    kinds = [e.kind for e in dossier]
    assert kinds.count("monthly_record") == 6 and kinds.count("explanation") == 6
    assert kinds.count("interview") == kinds.count("admonishment") == 1 and "evaluation" in kinds
