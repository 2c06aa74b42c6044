"""A month's assessment record: weighted closures with role coefficients, credited work from the
other features through their contracts, all real now that they have landed (quality reviews C1,
meetings C3, petitions C4), quality from the reviews, and the observation ladder chosen by a court's policy."""
from datetime import date

from sqlmodel import select

from services.assessment import run_monthly_assessment
from store.models import (AssessmentRecord, ExitProceeding, LadderStep, MeetingOpinion, MeetingReferral, PanelMember, Petition,
                          PolicyOverride, Review)
from tests.assessment_helpers import add_cases, moment, month_starts
from tests.factories import small_world


def reviews(s, world, case_ids):
    """Two of judge_a's cases reviewed by judge_b and final in March: a pass and a flaw (CONTRACTS C1)."""
    for case_id, grade in zip(case_ids, ("pass", "flaw")):
        s.add(Review(selection_key=f"routine:{case_id}", kind="routine", month="2025-02", case_id=case_id,
                     court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                     judge_id=world.users["judge_a"].id, state="closed", selected_on=date(2025, 3, 1),
                     reviewer_id=world.users["judge_b"].id, grade=grade, graded_on=date(2025, 3, 5),
                     final_grade=grade, final_on=date(2025, 3, 14)))


def meeting_opinions(s, world, case_id, n):
    """judge_b gives an opinion at n professional judges' meetings (CONTRACTS C3, the real one)."""
    for i in range(n):
        meeting = MeetingReferral(case_id=case_id, court_id=world.courts["hp"].id, question=f"法律适用问题{i}",
                                  options=["甲", "乙"], member_ids=[world.users["judge_b"].id], source="panel",
                                  referred_by=world.users["judge_a"].id, state="adopted")  # one open per case
        s.add(meeting)
        s.flush()
        s.add(MeetingOpinion(meeting_id=meeting.id, user_id=world.users["judge_b"].id, view="甲",
                             given_on=date(2025, 2, 10 + i)))


def record_of(db, world, name, period="2025-03"):
    with db.read() as s:
        return s.exec(select(AssessmentRecord).where(AssessmentRecord.user_id == world.users[name].id,
                                                     AssessmentRecord.period == period)).one()


def test_closures_are_weighted_by_case_and_role_and_credited_work_counts(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        ordinary = add_cases(s, world, "judge_a", 2, "2025-01-06", closed="2025-03-10")
        add_cases(s, world, "judge_a", 2, "2025-01-06", closed="2025-03-12", procedure="civil-first-simplified",
                  prefix="s")
        add_cases(s, world, "judge_a", 1, "2025-02-03", prefix="p")
        s.add(PanelMember(case_id=ordinary[0], user_id=world.users["judge_b"].id, role="member", since=date(2025, 1, 6)))
        meeting_opinions(s, world, ordinary[0], 5)
        reviews(s, world, ordinary)
        s.add(Petition(court_id=world.courts["hp"].id, channel="letter", petitioner="张三", matter="case_progress",
                       summary="催办", registered_on=date(2025, 2, 10), due_on=date(2025, 2, 25),
                       remind_on=date(2025, 2, 20), escalate_on=date(2025, 2, 26), answered_on=date(2025, 2, 20),
                       answered_by=world.users["judge_b"].id, state="answered"))
    run_monthly_assessment(any_db, date(2025, 4, 1), moment(date(2025, 4, 1)))

    a, b = record_of(any_db, world, "judge_a"), record_of(any_db, world, "judge_b")
    assert (a.closed, a.quantity, a.target) == (4, 3.4, 0.99)  # 2 × 1.0 + 2 × 0.7; 0.9 × 3/12 × (3 × 1.0 + 2 × 0.7)
    assert (a.met, a.quality, a.efficiency) == (True, 90.0, 100.0)  # (pass 100 + flaw 80) ÷ 2
    assert (a.effect, a.score) == (100.0, 97.0)  # no appeals; 0.4 × 100 + 0.3 × 90 + 0.2 × 100 + 0.1 × 100
    # judge_b: a panel seat (0.3 × 1.0) + 5 meeting opinions × 0.2 + 2 reviews × 0.5 + 1 petition × 0.3
    assert (b.member_closed, b.credits, b.quantity) == (1, 2.3, 2.6)
    assert b.detail["credit_items"] == {"meeting": 5, "review": 2, "petition": 1}


def test_a_court_on_the_observation_ladder_passes_a_judge_who_meets_the_task_under_observation(db):
    world = small_world(db)
    with db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="assessment", data={"ladders": ["observation"]}))
        add_cases(s, world, "judge_a", 6, "2024-10-08", closed="2025-07-15")  # misses Jan–Jun, meets in July
        add_cases(s, world, "judge_b", 3, "2024-10-08")                       # misses every month
    for as_of in month_starts(date(2025, 2, 1), 9):
        run_monthly_assessment(db, as_of, moment(as_of))
    with db.read() as s:
        steps = s.exec(select(LadderStep).where(LadderStep.step.in_(("observation", "exit"))).order_by(LadderStep.id)).all()
    a, b = world.users["judge_a"].id, world.users["judge_b"].id
    assert [(x.user_id, x.step, x.period, x.state) for x in steps] == [
        (a, "observation", "2025-06", "passed"), (b, "observation", "2025-06", "failed"),
        (b, "exit", "2025-09", "exit_opened")]
    with db.read() as s:
        assert [e.judge_id for e in s.exec(select(ExitProceeding)).all()] == [b]


def test_an_exit_the_quota_exit_work_refuses_is_recorded_and_the_month_still_completes(db):
    from services.actor import Actor
    from services.exit_proceedings import open_exit_proceeding
    from store.models import Task, TraceEntry

    world = small_world(db)
    b = world.users["judge_b"].id
    with db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="assessment", data={"ladders": ["observation"]}))
        add_cases(s, world, "judge_b", 3, "2024-10-08")
    for as_of in month_starts(date(2025, 2, 1), 8):
        run_monthly_assessment(db, as_of, moment(as_of))
    with db.write() as s:  # personnel opened a proceeding on another ground meanwhile
        running = open_exit_proceeding(s, judge_id=b, ground="discipline_violation", grounds_text="违纪",
                                       opened_by=Actor.system(), now=moment(date(2025, 9, 20)), source="test:discipline")
    result = run_monthly_assessment(db, date(2025, 10, 1), moment(date(2025, 10, 1)))
    with db.read() as s:
        step = s.exec(select(LadderStep).where(LadderStep.step == "exit")).one()
        task = s.exec(select(Task).where(Task.kind == "open_exit_proceeding")).one()
        refused = s.exec(select(TraceEntry).where(TraceEntry.action == "refused:ladder_steps.open_exit")).all()
        proceedings = s.exec(select(ExitProceeding)).all()
    assert result["months"]["2025-09"]["month"] == 6 and result["months"]["2025-09"]["exits"] == 0
    assert step.state == "open" and step.outcome.startswith("未能启动") and step.exit_proceeding_id is None
    assert (task.assignee_role, task.subject_id, len(refused)) == ("personnel", step.id, 1)
    assert [p.id for p in proceedings] == [running]
