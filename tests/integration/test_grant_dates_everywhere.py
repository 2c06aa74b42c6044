"""A role grant counts only between its start and end dates for every reader of grants, not only the draws
(tests/integration/test_grant_dates_in_draws.py): a person whose grant ended yesterday or starts tomorrow is not
chased, not told, not listed and not over anyone that day; a person whose grant is in force is. The day is the
sweep's (or the assessed month's last day) for flows, the command's or the request's court day otherwise; the
actor's own grants, and so who is over the actor, are read on the real court day (services/kernel/actor.py)."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from services.assessment.monthly import run_monthly_assessment
from services.assessment.qualitative import EvaluationEntry, evaluate
from services.assessment.reports import weekly_notice
from services.assessment.score_items import ItemEntry, enter_item
from services.integrity.reports import open_reports
from services.kernel.clock import local_today
from services.kernel.delegations import DelegationCreate, delegate
from services.kernel.errors import Invalid, Refused
from services.kernel.sweeps import run_daily_monitor
from services.kernel.tasks import open_task
from store.models import (AssessmentRecord, InterferenceReport, LeaderCaseload, Notice, Petition, RoleGrant,
                          ScoreItem, Task)
from tests.assessment_helpers import add_cases, moment
from tests.case_helpers import act, actor, at, file
from tests.factories import add_user, date_grant, judges_in_and_out_of_force, small_world
from tests.integration.conftest import login
from tests.integration.test_pages import page_login
from tests.petition_helpers import register
from tests.review_helpers import closed_case, review_of, review_world, reviews, sample

TODAY = "2025-01-07"
BEFORE_OR_AFTER = [{"ends_on": "2025-03-02"}, {"starts_on": "2025-03-04"}]
"""Around 2025-03-03, the court day of the `now` fixture and of most commands below."""


@pytest.fixture
def world(any_db):
    return judges_in_and_out_of_force(any_db)


def _ids(world, *names) -> set[int]:
    return {world.users[n].id for n in names}


def _told(db, kind: str, task_id: int | None = None) -> set[int]:
    with db.read() as s:
        rows = s.exec(select(Notice).where(Notice.kind == kind)).all()
    return {n.recipient_user_id for n in rows if task_id is None or n.context.get("task_id") == task_id}


# --- the chase (services/kernel/chase.py): the sweep's day ------------------------------------------------

def test_the_chase_reminds_and_escalates_to_the_holders_in_force_on_the_sweeps_day(any_db, world):
    """A task offered to the judges of hp_civil: reminded to those in force on the day, noticed overdue to those in
    force on that later day (judge_b from his first day); escalated to the chief who holds the post that day, not to
    the one who left it the day before."""
    with any_db.write() as s:
        add_user(s, world, "chief2", "hp", ["division_chief"], "hp_civil")
    date_grant(any_db, world, "chief2", "division_chief", starts_on="2025-01-11")
    date_grant(any_db, world, "chief", "division_chief", ends_on="2025-01-10")
    case_id = file(any_db, world)
    with any_db.write() as s:
        open_task(s, kind="read_file", title="阅卷", subject_kind="cases", subject_id=case_id,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id, assignee_role="judge",
                  due_on=date(2025, 1, 8), at=at(TODAY))
        task_id = s.exec(select(Task.id).where(Task.kind == "read_file")).one()

    run_daily_monitor(any_db, date(2025, 1, 7), at(TODAY))
    assert _told(any_db, "task_due_soon", task_id) == _ids(world, "judge_a", "chief", "english_judge")
    run_daily_monitor(any_db, date(2025, 1, 9), at("2025-01-09"))
    assert _told(any_db, "task_overdue", task_id) == _ids(world, "judge_a", "chief", "english_judge", "judge_b")
    run_daily_monitor(any_db, date(2025, 1, 11), at("2025-01-11"))
    with any_db.read() as s:
        supervision = s.exec(select(Task.assignee_user_id, Task.assignee_role)
                             .where(Task.escalates_task_id == task_id)).all()
    assert supervision == [(world.users["chief2"].id, "division_chief")]
    assert _told(any_db, "task_escalated", task_id) == _ids(world, "chief2")


def test_an_escalation_nobody_holds_that_day_is_offered_to_the_role(any_db, world):
    date_grant(any_db, world, "chief", "division_chief", ends_on="2025-01-10")
    case_id = file(any_db, world)
    with any_db.write() as s:
        open_task(s, kind="read_file", title="阅卷", subject_kind="cases", subject_id=case_id,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                  assignee_user_id=world.users["judge_a"].id, due_on=date(2025, 1, 7), at=at(TODAY))
        task_id = s.exec(select(Task.id).where(Task.kind == "read_file")).one()
    run_daily_monitor(any_db, date(2025, 1, 11), at("2025-01-11"))
    with any_db.read() as s:
        supervision = s.exec(select(Task.assignee_user_id, Task.assignee_role)
                             .where(Task.escalates_task_id == task_id)).all()
    assert supervision == [(None, "division_chief")] and _told(any_db, "task_escalated", task_id) == set()


# --- need to know (services/kernel/need_to_know.py): who is over whom -------------------------------------

@pytest.mark.parametrize("dates", [*BEFORE_OR_AFTER, {}])
def test_a_chief_named_in_a_petition_is_over_his_judges_only_while_his_grant_is_in_force(any_db, dates):
    world = small_world(any_db)
    if dates:
        date_grant(any_db, world, "chief", "division_chief", **dates)
    pid = register(any_db, world, matter="judge_conduct", named_user_id=world.users["chief"].id)
    assign = {"division_id": world.divisions["hp_civil"].id, "handler_user_id": world.users["judge_b"].id}
    if not dates:  # in force on 2025-03-03: judge_b works under the chief named (回避)
        with pytest.raises(Invalid) as refused:
            act(any_db, "office", "petitions", pid, "assign", assign, "2025-03-03")
        assert refused.value.message_id == "invalid.petitions.handler_person_named_petition_works_under"
        return
    act(any_db, "office", "petitions", pid, "assign", assign, "2025-03-03")
    with any_db.read() as s:
        assert s.get(Petition, pid).handler_user_id == world.users["judge_b"].id
    assert _told(any_db, "petition_assigned") == _ids(world, "judge_b")


@pytest.mark.parametrize("dates", ["ended", "starts_tomorrow", None])
def test_a_judge_reads_a_petition_naming_a_chief_who_is_not_over_him_on_the_day(any_db, world, client, dates):
    """Who is over the reader is read on the same (real) court day as the reader's own grants."""
    real_today = local_today(datetime.now(timezone.utc))
    if dates == "ended":
        date_grant(any_db, world, "chief", "division_chief", ends_on=str(real_today - timedelta(days=1)))
    elif dates == "starts_tomorrow":
        date_grant(any_db, world, "chief", "division_chief", starts_on=str(real_today + timedelta(days=1)))
    pid = register(any_db, world, matter="judge_conduct", named_user_id=world.users["chief"].id,
                   summary="反映庭长作风问题")
    act(any_db, "office", "petitions", pid, "assign", {"division_id": world.divisions["hp_civil"].id}, "2025-03-03")
    read = client.get(f"/api/v1/petitions/{pid}", headers=login(client, "judge_b"))
    listed = client.get("/api/v1/petitions", headers=login(client, "judge_b")).json()
    if dates is None:  # in force: the chief is over judge_b, who neither reads nor lists it
        assert read.status_code == 404 and pid not in [p["id"] for p in listed]
    else:
        assert read.status_code == 200 and pid in [p["id"] for p in listed]


def test_a_petition_handler_is_offered_and_taken_only_by_a_grant_in_force(any_db, client):
    world = small_world(any_db)
    date_grant(any_db, world, "judge_b", "judge", starts_on="2025-03-04")
    date_grant(any_db, world, "judge_c", "judge", ends_on="2025-03-02")
    pid = register(any_db, world)
    page_login(client, "office")
    page = client.get(f"/s/petitions/{pid}").text  # the request's court day: 2025-03-03 (the `now` fixture)
    assert "hp_civil · judge_a" in page
    assert "hp_civil · judge_b" not in page and "hp_civil · judge_c" not in page
    civil = world.divisions["hp_civil"].id
    for name in ("judge_b", "judge_c"):
        with pytest.raises(Invalid) as refused:
            act(any_db, "office", "petitions", pid, "assign",
                {"division_id": civil, "handler_user_id": world.users[name].id}, "2025-03-03")
        assert refused.value.message_id == "invalid.petitions.user_does_not_work"
    act(any_db, "office", "petitions", pid, "assign", {"division_id": civil, "handler_user_id": world.users["judge_b"].id},
        "2025-03-04")  # from the first day of judge_b's grant


# --- the assessment (services/assessment): the month's last day, the command's day ------------------------

def test_the_month_assesses_the_leaders_and_staff_holding_their_grants_on_its_last_day(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "assistant_a", "hp", ["assistant"], "hp_civil")
        add_user(s, world, "assistant_b", "hp", ["assistant"], "hp_civil")
        add_cases(s, world, "judge_a", 2, "2025-01-06", closed="2025-03-10")
    date_grant(any_db, world, "vp", "vice_president", ends_on="2025-03-30")
    date_grant(any_db, world, "chief", "division_chief", starts_on="2025-04-01")
    date_grant(any_db, world, "clerk_a", "clerk", ends_on="2025-03-30")
    date_grant(any_db, world, "assistant_b", "assistant", starts_on="2025-02-01", ends_on="2025-03-31")
    run_monthly_assessment(any_db, date(2025, 4, 1), moment(date(2025, 4, 1)))
    with any_db.read() as s:
        leaders = set(s.exec(select(LeaderCaseload.user_id).where(LeaderCaseload.period == "2025-03",
                                                                  LeaderCaseload.court_id == world.courts["hp"].id)).all())
        staff = set(s.exec(select(AssessmentRecord.user_id).where(
            AssessmentRecord.period == "2025-03", AssessmentRecord.scheme.in_(("assistant", "clerk")))).all())
    assert leaders == _ids(world, "president")
    assert staff == _ids(world, "assistant_a", "assistant_b")


@pytest.mark.parametrize("dates, allowed", [({"ends_on": "2025-02-27"}, False), ({"starts_on": "2025-03-01"}, False),
                                            ({"ends_on": "2025-02-28"}, True)])
def test_a_judge_evaluates_for_a_month_only_an_assistant_on_its_last_day(any_db, dates, allowed):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "assistant_a", "hp", ["assistant"], "hp_civil")
    date_grant(any_db, world, "assistant_a", "assistant", **dates)
    entry = EvaluationEntry(user_id=world.users["assistant_a"].id, kind="judge_of_assistant", period="2025-02",
                            score=85)
    if not allowed:
        with pytest.raises(Refused) as refused:
            evaluate(any_db, actor(any_db, "judge_a"), entry, at("2025-03-03"))
        assert refused.value.message_id == "refused.assessment.judge_evaluates_assistant_only"
        return
    assert evaluate(any_db, actor(any_db, "judge_a"), entry, at("2025-03-03"))["score"] == 85


@pytest.mark.parametrize("dates", [*BEFORE_OR_AFTER, {}])
def test_an_item_for_a_chief_goes_to_the_level_above_the_roles_he_holds_that_day(any_db, dates):
    world = small_world(any_db)
    if dates:
        date_grant(any_db, world, "chief", "division_chief", **dates)
    enter_item(any_db, actor(any_db, "president"), ItemEntry(
        user_id=world.users["chief"].id, code="excellent_judgment", occurred_on=date(2025, 3, 1),
        reason="裁判文书获评优秀", evidence="评选结果通知"), at("2025-03-03"))
    with any_db.read() as s:
        item = s.exec(select(ScoreItem)).one()
        task = s.exec(select(Task).where(Task.kind == "approve_score_item")).one()
    expected = "president" if not dates else "division_chief"  # a chief goes to the president, a judge to the chief
    assert item.approver_role == task.assignee_role == expected


def test_a_report_is_told_to_the_trial_office_in_force_on_its_day(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "office_new", "hp", ["trial_office"])
        add_user(s, world, "office_next", "hp", ["trial_office"])
    date_grant(any_db, world, "office", "trial_office", ends_on="2025-03-02")
    date_grant(any_db, world, "office_new", "trial_office", starts_on="2025-03-03")
    date_grant(any_db, world, "office_next", "trial_office", starts_on="2025-03-04")
    with any_db.write() as s:
        weekly_notice(s, date(2025, 3, 3), at("2025-03-03"))
    assert _told(any_db, "report_published") == _ids(world, "office_new", "mid_office")


# --- integrity (services/integrity): the monthly reports, the powers lists ----------------------------------

def test_the_monthly_interference_report_is_opened_for_the_judges_in_force_on_the_sweeps_day(any_db, world):
    def reporters() -> set[int]:
        with any_db.read() as s:
            return set(s.exec(select(InterferenceReport.judge_id).where(InterferenceReport.month == "2025-01")).all())

    with any_db.write() as s:
        open_reports(s, date(2025, 1, 7), at(TODAY))
    assert reporters() == _ids(world, "judge_a", "chief", "english_judge", "judge_sh")
    with any_db.write() as s:
        open_reports(s, date(2025, 1, 8), at("2025-01-08"))
    assert reporters() == _ids(world, "judge_a", "chief", "english_judge", "judge_sh", "judge_b")


@pytest.mark.parametrize("dates", [*BEFORE_OR_AFTER, {}])
def test_a_persons_powers_list_shows_the_grants_in_force_on_the_requests_day(any_db, client, dates):
    world = small_world(any_db)
    if dates:
        date_grant(any_db, world, "chief", "division_chief", **dates)
    listed = client.get(f"/api/v1/integrity/powers/people/{world.users['chief'].id}",
                        headers=login(client, "president")).json()
    assert sorted(g["role"] for g in listed["grants"]) == (["judge"] if dates else ["division_chief", "judge"])
    page_login(client, "president")
    page = client.get(f"/integrity/powers/people/{world.users['chief'].id}?lang=en").text
    assert ("division_chief" in page) == (not dates)


# --- the delegation's court of role, the reviewers drawn ------------------------------------------------------

def test_a_delegation_is_given_for_a_role_held_that_day_and_at_the_court_where_it_is_held(any_db, world):
    with any_db.write() as s:  # judge_c moved to 沈河: his 和平 grant ended yesterday, his 沈河 one is in force
        s.add(RoleGrant(user_id=world.users["judge_c"].id, role="judge", court_id=world.courts["sh"].id,
                        division_id=world.divisions["sh_civil"].id))
    leave = dict(role="judge", starts_on=date(2025, 1, 7), ends_on=date(2025, 1, 10), reason="年休假")
    with pytest.raises(Refused) as refused:
        delegate(any_db, actor(any_db, "judge_b"), DelegationCreate(
            delegate_user_id=world.users["judge_a"].id, **leave), at(TODAY))
    assert refused.value.message_id == "refused.kernel.you_do_not_hold_role"
    row = delegate(any_db, actor(any_db, "judge_c"), DelegationCreate(
        delegate_user_id=world.users["judge_sh"].id, **leave), at(TODAY))
    assert row.court_id == world.courts["sh"].id


@pytest.mark.parametrize("dates", [{"ends_on": "2025-03-02"}, {"starts_on": "2025-03-04"}])
def test_a_reviewer_is_drawn_or_named_only_by_a_grant_in_force(any_db, dates):
    world = review_world(any_db)
    date_grant(any_db, world, "crim_judge", "judge", **dates)
    case_id = closed_case(any_db, world, "（2025）辽0102民初7号", "judge_a", "2025-02-10")
    sample(any_db)
    review_id = review_of(any_db, case_id).id
    with pytest.raises(Refused) as refused:
        act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id},
            "2025-03-03")
    assert refused.value.message_id == "refused.machine.proposed_reviewer_not_active_reviewer_court"
    act(any_db, "office", "reviews", review_id, "assign", {}, "2025-03-03")
    assert reviews(any_db)[0].reviewer_id == world.users["office"].id  # the only reviewer in force
    if "starts_on" in dates:
        act(any_db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id},
            "2025-03-04")
        assert reviews(any_db)[0].reviewer_id == world.users["crim_judge"].id
