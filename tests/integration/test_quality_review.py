"""Case quality review (SPEC §4): conflict rules, the objection window, referral to inspection,
reminders and escalations, special reviews, appeal outcomes, C1 results, concurrency."""
import re
from datetime import date

import pytest
from sqlalchemy.orm import aliased
from sqlmodel import select

from i18n.words import date_words
from policies.registry import build
from services.kernel.errors import Conflict, Refused
from services.kernel.sweeps import run_daily_monitor
from services.quality_review.facts import judge_review_results, reviewer_credits
from store.models import PolicyOverride, Review, Task, TraceEntry
from tests.case_helpers import act, at
from tests.factories import add_user
from tests.integration.test_pages import page_login
from tests.review_helpers import chased, closed_case, notices_to, review_of, review_world, reviews, sample


@pytest.fixture
def world(any_db):
    world = review_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "crim_judge2", "hp", ["judge"], "hp_criminal", quota_judge=True)
    return world


def one_review(db, world, judge="judge_a", panel=()) -> int:
    case_id = closed_case(db, world, "（2025）辽0102民初7号", judge, "2025-02-10", panel=panel)
    sample(db)
    return review_of(db, case_id).id


def graded(db, world, grade="flaw", **extra) -> int:
    review_id = one_review(db, world)
    act(db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id}, "2025-03-03")
    act(db, "crim_judge", "reviews", review_id, "start", {}, "2025-03-04")
    act(db, "crim_judge", "reviews", review_id, "grade", {"grade": grade, "findings": "裁判文书引用法条错误", **extra},
        "2025-03-05")
    return review_id


def refusals(db, action: str) -> list[str]:
    with db.read() as s:
        return [e.why for e in s.exec(select(TraceEntry).where(TraceEntry.action == f"refused:{action}")).all()]


# --- selection ---------------------------------------------------------------------------------

def test_a_petition_about_a_pending_case_is_reviewed_in_the_month_the_case_closes(any_db, world):
    from tests.case_helpers import designate, file
    from tests.petition_helpers import register

    case_id = file(any_db, world, filed="2025-01-06")
    designate(any_db, world, case_id)
    register(any_db, world, "2025-02-10", case_number="（2025）辽0102民初1号", matter="case_progress")
    assert sample(any_db).focused["petition"] == 0 and reviews(any_db) == []
    act(any_db, "judge_a", "cases", case_id, "hold_hearing", {"on": "2025-03-04"}, "2025-03-04")
    act(any_db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-03-10", "document_ref": "判决书"},
        "2025-03-10")
    act(any_db, "judge_a", "cases", case_id, "close", {"closed_on": "2025-03-12", "closing_method": "判决",
                                                      "decision_doc_ref": "判决书"}, "2025-03-12")
    assert sample(any_db, "2025-04-01").focused["petition"] == 1
    assert [(r.case_id, r.category) for r in reviews(any_db, kind="focused")] == [(case_id, "petition")]


def test_a_court_may_not_drop_a_mandatory_focused_category():
    from policies.errors import PolicyError

    with pytest.raises(PolicyError, match="focused.categories: .*must list exactly the mandatory categories"):
        build("quality_review", [("override", {"focused": {"categories": ["remanded", "revised"]}})])


def test_each_court_draws_with_its_own_policy(any_db, world):
    for i in range(1, 6):
        closed_case(any_db, world, f"（2025）辽0102民初{i}号", "judge_a", "2025-02-10")
        closed_case(any_db, world, f"（2025）辽0103民初{i}号", "judge_sh", "2025-02-10", court="sh", division="sh_civil")
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["sh"].id, name="quality_review", data={"routine": {"rate": 1.0}}))
    result = sample(any_db)
    assert (result.population, result.drawn) == (10, 1 + 5)  # 和平: 10% of 5 → 1; 沈河 draws every case


# --- reviewer conflicts -------------------------------------------------------------------------

def test_a_panel_member_from_another_division_cannot_review_the_case(any_db, world):
    review_id = one_review(any_db, world, panel=("crim_judge2",))
    with pytest.raises(Refused, match="cannot review their own case"):
        act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge2"].id})
    assert reviews(any_db)[0].state == "selected"
    assert refusals(any_db, "reviews.assign") == ["a judge cannot review their own case (lead judge or panel member)"]


def test_a_random_draw_never_picks_the_cases_judges_or_division(any_db, world):
    review_id = one_review(any_db, world, panel=("crim_judge2",))
    act(any_db, "office", "reviews", review_id, "assign", {}, "2025-03-03")
    drawn = reviews(any_db)[0]
    # hp_civil (judge_a, b, c, chief, english_judge) and the panel (crim_judge2) are out: crim_judge or the office
    assert drawn.reviewer_id in {world.users["crim_judge"].id, world.users["office"].id}
    assert drawn.assignment_seed and drawn.review_due == date(2025, 3, 23)


def test_the_division_rule_is_a_court_policy_switch(any_db, world):
    review_id = one_review(any_db, world)
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="quality_review",
                             data={"reviewers": {"exclude_same_division": False}}))
    act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["judge_b"].id})
    assert reviews(any_db)[0].reviewer_id == world.users["judge_b"].id
    with pytest.raises(Refused, match="own case"):
        act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["judge_a"].id})


def test_only_the_assigned_reviewer_grades(any_db, world):
    review_id = one_review(any_db, world)
    act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id})
    with pytest.raises(Refused, match="only the reviewer"):
        act(any_db, "crim_judge2", "reviews", review_id, "start", {})


def test_two_offices_assigning_at_once_one_wins_one_gets_409(any_db, world):
    review_id = one_review(any_db, world)
    version = reviews(any_db)[0].version
    act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id},
        expected_version=version)
    with pytest.raises(Conflict):
        act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge2"].id},
            expected_version=version)
    assert reviews(any_db)[0].reviewer_id == world.users["crim_judge"].id


# --- grading, objection window, referral --------------------------------------------------------

def test_a_grade_below_pass_needs_findings_and_a_refusal_changes_nothing(any_db, world):
    review_id = one_review(any_db, world)
    act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id})
    act(any_db, "crim_judge", "reviews", review_id, "start", {})
    with pytest.raises(Refused, match="needs at least one finding"):
        act(any_db, "crim_judge", "reviews", review_id, "grade", {"grade": "major_flaw"})
    assert (reviews(any_db)[0].state, reviews(any_db)[0].grade) == ("reviewing", None)
    assert notices_to(any_db, "review_feedback") == []


def test_an_objection_after_the_window_is_refused(any_db, world):
    review_id = graded(any_db, world)
    with pytest.raises(Refused, match="objection window closed on 2025-03-12"):
        act(any_db, "judge_a", "reviews", review_id, "file_objection", {"reason": "迟到的异议"}, "2025-03-13")
    assert refusals(any_db, "reviews.file_objection")


def test_a_lapsed_window_makes_the_grade_final_once(any_db, world):
    review_id = graded(any_db, world)
    run_daily_monitor(any_db, date(2025, 3, 12), at("2025-03-12"))
    assert reviews(any_db)[0].state == "graded"  # the last day of the window
    for _ in range(2):
        run_daily_monitor(any_db, date(2025, 3, 13), at("2025-03-13"))
    row = reviews(any_db)[0]
    assert (row.state, row.final_grade, row.final_on, row.rectification_due) == (
        "rectifying", "flaw", date(2025, 3, 13), date(2025, 4, 12))
    assert len(notices_to(any_db, "review_rectification")) == 1
    with any_db.read() as s:
        assert s.exec(select(TraceEntry).where(TraceEntry.action == "reviews.finalise",
                                               TraceEntry.subject_id == review_id)).one().actor == "system"


def test_an_upheld_objection_with_a_pass_closes_the_review(any_db, world):
    review_id = graded(any_db, world)
    act(any_db, "judge_a", "reviews", review_id, "file_objection", {"reason": "法条引用无误"}, "2025-03-06")
    with pytest.raises(Refused, match="needs the new grade"):
        act(any_db, "committee_a", "reviews", review_id, "decide_objection", {"outcome": "upheld", "reason": "成立"})
    act(any_db, "committee_a", "reviews", review_id, "decide_objection",
        {"outcome": "upheld", "new_grade": "pass", "reason": "引用正确"}, "2025-03-08")
    row = reviews(any_db)[0]
    assert (row.state, row.grade, row.final_grade) == ("closed", "flaw", "pass")
    with any_db.read() as s:
        results = judge_review_results(s, date(2025, 3, 1), date(2025, 3, 31))
    assert results[world.users["judge_a"].id].grades == {"pass": 1, "flaw": 0, "major_flaw": 0, "error": 0}
    assert results[world.users["judge_a"].id].score == 100.0


def test_an_error_with_signs_of_illegal_adjudication_goes_to_inspection(any_db, world):
    review_id = graded(any_db, world, grade="error", illegal_signs=True, referral_note="与当事人存在利害关系未回避")
    assert [r for r, _ in notices_to(any_db, "review_referral")] == [world.users["inspector"].id]
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "inspection_referral")).one()
    assert (task.assignee_role, task.subject_id, task.court_id) == ("inspection", review_id, world.courts["hp"].id)
    row = reviews(any_db)[0]
    assert (row.grade, row.referred_on, row.referral_note) == ("error", date(2025, 3, 5), "与当事人存在利害关系未回避")


def test_signs_of_illegal_adjudication_go_only_with_an_error(any_db, world):
    with pytest.raises(Refused, match="only with the grade 'error'"):
        graded(any_db, world, grade="flaw", illegal_signs=True)
    assert notices_to(any_db, "review_referral") == []


# --- reminders and escalations ------------------------------------------------------------------

def monitor(db, *days):
    for day in days:
        run_daily_monitor(db, date.fromisoformat(day), at(day))


def supervision_of(db, task_kind: str) -> list[tuple[str, int]]:
    """(role, holder) of the supervision tasks the chase opened over the review's tasks of `task_kind`."""
    with db.read() as s:
        chased_task = aliased(Task)
        rows = s.exec(select(Task.assignee_role, Task.assignee_user_id)
                      .join(chased_task, chased_task.id == Task.escalates_task_id)
                      .where(chased_task.kind == task_kind).order_by(Task.id)).all()
        return [tuple(r) for r in rows]


def test_a_late_reviewer_is_reminded_then_reported_then_escalated_each_once(any_db, world):
    review_id = one_review(any_db, world)
    act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id}, "2025-03-03")
    # due 2025-03-23: reminder from 03-20, late from 03-24, escalation after 7 more days (from 03-31)
    monitor(any_db, "2025-03-19", "2025-03-20", "2025-03-21", "2025-03-24", "2025-03-25", "2025-03-30")
    reviewer, office = world.users["crim_judge"].id, world.users["office"].id
    assert chased(any_db, "task_due_soon", "review_case") == [reviewer]
    assert chased(any_db, "task_overdue", "review_case") == [reviewer, office]
    assert chased(any_db, "task_escalated", "review_case") == []
    monitor(any_db, "2025-03-31", "2025-04-01")
    assert chased(any_db, "task_escalated", "review_case") == [office]
    assert supervision_of(any_db, "review_case") == [("trial_office", office)]


def test_a_late_objection_decision_goes_to_the_committee_then_the_president(any_db, world):
    review_id = graded(any_db, world)
    act(any_db, "judge_a", "reviews", review_id, "file_objection", {"reason": "异议"}, "2025-03-06")  # due 03-21
    monitor(any_db, "2025-03-22", "2025-03-29", "2025-03-30")
    committee, office, president = (world.users[n].id for n in ("committee_a", "office", "president"))
    assert sorted(chased(any_db, "task_overdue", "decide_review_objection")) == sorted([committee, office])
    assert chased(any_db, "task_escalated", "decide_review_objection") == [president]
    assert supervision_of(any_db, "decide_review_objection") == [("president", president)]


def test_a_late_rectification_goes_to_the_judge_then_the_division_chief_and_office(any_db, world):
    review_id = graded(any_db, world)
    act(any_db, "judge_a", "reviews", review_id, "accept", {}, "2025-03-06")  # rectify by 2025-04-05
    monitor(any_db, "2025-04-06", "2025-04-13")
    judge, office, chief = (world.users[n].id for n in ("judge_a", "office", "chief"))
    assert chased(any_db, "task_overdue", "rectify_review") == [judge, office]
    assert chased(any_db, "task_escalated", "rectify_review") == [chief, office]
    assert supervision_of(any_db, "rectify_review") == [("division_chief", chief)]


def test_a_rejected_rectification_gets_a_new_due_date_and_its_own_reminders(any_db, world):
    review_id = graded(any_db, world)
    act(any_db, "judge_a", "reviews", review_id, "accept", {}, "2025-03-06")
    act(any_db, "judge_a", "reviews", review_id, "report_rectification", {"report": "已整改"}, "2025-03-20")
    with pytest.raises(Refused, match="only the reviewer"):
        act(any_db, "judge_a", "reviews", review_id, "confirm_rectification", {}, "2025-03-21")
    act(any_db, "office", "reviews", review_id, "reject_rectification", {"reason": "未补正卷宗"}, "2025-03-22")
    row = reviews(any_db)[0]
    assert (row.state, row.rectification_due) == ("rectifying", date(2025, 4, 21))
    assert [k.split(":")[3] for _, k in notices_to(any_db, "review_rectification")] == ["2025-04-05", "2025-04-21"]


# --- C1 -----------------------------------------------------------------------------------------

def test_review_results_per_judge_and_reviewer_credits(any_db, world):
    review_id = graded(any_db, world, grade="major_flaw")
    act(any_db, "judge_a", "reviews", review_id, "accept", {}, "2025-03-06")
    with any_db.read() as s:
        march = judge_review_results(s, date(2025, 3, 1), date(2025, 3, 31))
        april = judge_review_results(s, date(2025, 4, 1), date(2025, 4, 30))
        credits = reviewer_credits(s, date(2025, 3, 1), date(2025, 3, 31))
    summary = march[world.users["judge_a"].id]
    assert (summary.judge_id, summary.reviewed, summary.grades["major_flaw"], summary.score) == (
        world.users["judge_a"].id, 1, 1, 60.0)
    assert april == {} and credits == {world.users["crim_judge"].id: 1}
    with any_db.read() as s:
        assert s.exec(select(Review).where(Review.final_on == date(2025, 3, 6))).one().id == review_id


def test_a_late_re_review_is_reported_to_the_reviewer(any_db, world):
    review_id = graded(any_db, world)
    act(any_db, "judge_a", "reviews", review_id, "accept", {}, "2025-03-06")
    act(any_db, "judge_a", "reviews", review_id, "report_rectification", {"report": "已整改"}, "2025-03-20")
    assert reviews(any_db)[0].review_due == date(2025, 4, 9)
    monitor(any_db, "2025-04-10", "2025-04-10")
    reviewer = world.users["crim_judge"].id
    assert chased(any_db, "task_overdue", "rereview_case") == [reviewer, world.users["office"].id]


# --- the review's page ---------------------------------------------------------------------------

def review_section(client, review_id: int) -> tuple[str, str]:
    """The review's own section of its subject page: its HTML and its visible words."""
    html = client.get(f"/s/reviews/{review_id}").text.split('<section class="card" id="review">')[1].split("</section>")[0]
    return html, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_reviews_page_says_whose_turn_it_is_the_feedback_and_what_this_reader_may_do(any_db, world, client):
    review_id = graded(any_db, world)
    [review] = reviews(any_db, id=review_id)
    due = review.objection_due
    page_login(client, "judge_a")
    html, words = review_section(client, review_id)
    assert f"可于{date_words(due, 'zh_CN')}前提出异议或接受评查结果" in words
    assert "瑕疵" in words and "裁判文书引用法条错误" in words and f"异议期限 {date_words(due, 'zh_CN')}" in words
    assert re.findall(r'<li data-event="(\w+)">', html) == ["file_objection", "accept"]
    assert f'href="/reviews/{review_id}/feedback"' in html
    client.get("/lang/en")
    _, english = review_section(client, review_id)
    assert f"may object by {due.isoformat()} or accept the result" in english and "What you may do" in english
    page_login(client, "crim_judge")  # the reviewer, once the grade is given: nothing left to do
    html, words = review_section(client, review_id)
    assert 'id="review-may-nothing"' in html and "此评查目前没有需要您办理的事项" in words
