"""A team's month (全员考核): the judge, the assistant and the clerk are assessed on March 2025.

The assistant's and clerk's records come from what they recorded (services, hearings, archives, inbox
tasks, process nodes done late) and from the team's result; the judge's evaluation of the assistant counts with its weight; a
deduction item approved by the division chief lowers the assistant's score by its points, a bonus
nobody approved does not count. Staff climb no ladder.
"""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from services.assessment.monthly import run_monthly_assessment
from services.assessment.qualitative import EvaluationEntry, evaluate
from services.assessment.score_items import ItemEntry, enter_item
from services.kernel.actor import actor_by_id
from services.kernel.dossier import dossier_entries
from services.kernel.engine import fire
from services.kernel.errors import NotFound, Refused
from store.models import AssessmentRecord, Case, LadderStep, Notice, PolicyOverride, Task, Team
from tests.assessment_helpers import add_cases, moment
from tests.factories import add_user, small_world

MARCH = [moment(date(2025, 3, d)) for d in range(3, 29)]


def _team(any_db):
    db = any_db
    """judge_a with an assistant and a clerk in one team of the civil division (judge_b is outside it)."""
    world = small_world(db)
    with db.write() as s:
        team = Team(division_id=world.divisions["hp_civil"].id, name="审判团队一")
        s.add(team)
        s.flush()
        add_user(s, world, "assistant_a", "hp", ["assistant"], "hp_civil")
        add_user(s, world, "committee_hp", "hp", ["committee"])
        for name in ("judge_a", "assistant_a", "clerk_a"):
            user = world.users[name]
            user.team_id = team.id
            s.add(user)
        trial = add_cases(s, world, "judge_a", 20, "2025-01-06")
        add_cases(s, world, "judge_a", 2, "2025-01-06", closed="2025-03-10", prefix="c")
    return world, trial


def _actor(db, world, name):
    with db.read() as s:
        return actor_by_id(s, world.users[name].id)


def _record_work(db, world, trial):
    """The assistant serves 20 times, does 5 inbox tasks (one late) and serves two defences late (nodes of the
    lead judge's she records); the clerk records 6 hearings, archives the 2 closed cases and holds a third
    defence's node, handed to him by name, which the judge records late."""
    assistant, clerk = _actor(db, world, "assistant_a"), _actor(db, world, "clerk_a")
    for i, case_id in enumerate(trial):
        fire(db, assistant, "cases", case_id, "serve", {}, MARCH[i])
    for case_id in trial[:3]:   # 民事诉讼法 第一百二十八条: the defence served within 5 days: by Monday 10 March
        fire(db, assistant, "cases", case_id, "note_trigger", {"trigger": "defence_received", "on": "2025-03-03"},
             MARCH[0])
    with db.write() as s:
        handed = s.exec(select(Task).where(Task.kind == "case_node", Task.subject_id == trial[2])).one()
        handed.assignee_user_id = world.users["clerk_a"].id
    for case_id in trial[:2]:
        fire(db, assistant, "cases", case_id, "record_node", {"node": "defence_served", "on": "2025-03-17"}, MARCH[14])
    fire(db, _actor(db, world, "judge_a"), "cases", trial[2], "record_node",
         {"node": "defence_served", "on": "2025-03-18"}, MARCH[15])
    for case_id in trial[:6]:
        fire(db, clerk, "cases", case_id, "hold_hearing", {}, MARCH[21])
    with db.read() as s:
        closed_ids = [c.id for c in s.exec(select(Case).where(Case.state == "closed")).all()]
    for case_id in closed_ids:
        fire(db, clerk, "cases", case_id, "archive", {"on": "2025-03-25"}, MARCH[22])
    with db.write() as s:
        for i in range(5):
            s.add(Task(kind="serve_party_notice", title="送达告知", subject_kind="cases", subject_id=trial[i],
                       court_id=world.courts["hp"].id, assignee_user_id=world.users["assistant_a"].id,
                       due_on=date(2025, 3, 10), state="done", done_by=world.users["assistant_a"].id,
                       done_at=datetime(2025, 3, 12 if i == 0 else 7, 2, tzinfo=timezone.utc)))


def _record(db, world, name, period="2025-03"):
    with db.read() as s:
        return s.exec(select(AssessmentRecord).where(AssessmentRecord.user_id == world.users[name].id,
                                                     AssessmentRecord.period == period)).one()


def test_a_team_month_counts_recorded_work_the_team_the_judges_evaluation_and_an_approved_deduction(any_db):
    db = any_db
    world, trial = _team(db)
    _record_work(db, world, trial)
    judge_a, judge_b, chief = (_actor(db, world, n) for n in ("judge_a", "judge_b", "chief"))
    assistant = world.users["assistant_a"].id

    evaluate(db, judge_a, EvaluationEntry(user_id=assistant, kind="judge_of_assistant", period="2025-03", score=80),
             MARCH[20])
    with pytest.raises(Refused, match="a judge of their own team"):
        evaluate(db, judge_b, EvaluationEntry(user_id=assistant, kind="judge_of_assistant", period="2025-03",
                                              score=40), MARCH[20])

    deduction = enter_item(db, judge_a, ItemEntry(user_id=assistant, code="verified_complaint",
                                                  occurred_on=date(2025, 3, 14), reason="当事人投诉送达不及时，经查属实",
                                                  evidence="投诉登记表 2025-031"), MARCH[15])
    bonus = enter_item(db, _actor(db, world, "office"), ItemEntry(
        user_id=assistant, code="excellent_judgment", occurred_on=date(2025, 3, 14), reason="协助撰写优秀文书",
        evidence="评选通知"), MARCH[15])
    assert deduction["allowed_events"] == [] and deduction["approver_role"] == "division_chief"
    with db.read() as s:  # the chief has the approval in the inbox, with its due date
        task = s.exec(select(Task).where(Task.kind == "approve_score_item", Task.subject_id == deduction["id"])).one()
    assert (task.assignee_role, task.due_on) == ("division_chief", date(2025, 3, 25))
    with pytest.raises(Refused, match="approved by someone other than the person and whoever entered it"):
        fire(db, judge_a, "score_items", deduction["id"], "approve", {"note": "属实"}, MARCH[16])
    approved = fire(db, chief, "score_items", deduction["id"], "approve", {"note": "证据属实，予以扣分"}, MARCH[17])
    assert (approved["state"], approved["counts_in"]) == ("approved", "2025-03")

    run_monthly_assessment(db, date(2025, 4, 1), moment(date(2025, 4, 1)))

    judge, helper, clerk = (_record(db, world, n) for n in ("judge_a", "assistant_a", "clerk_a"))
    # 2 closures on a task of 0.9 × 3/12 × 22 = 4.95 → quantity 40.4; efficiency and effect 100; no review yet
    assert (judge.scheme, judge.score) == ("judge", 65.94)
    assert helper.scheme == "assistant"
    # steps 20/40 → 50, served 20/20 → 100, tasks 7/10 → 70 (the two nodes' tasks too), two nodes done late → 80
    # (the late inbox task is no node): 0.3·50 + 0.3·100 + 0.2·70 + 0.2·80 = 75
    assert helper.detail["work"] == {"served": 20, "steps": 20, "tasks_done": 7, "nodes_late": 2}
    assert (helper.detail["own"], helper.detail["team"], helper.detail["judge_evaluation"]) == (75.0, 65.94, 80.0)
    # 0.5·75 + 0.3·65.94 (the team's judge) + 0.2·80 (judge_a's evaluation) = 73.28, less the approved 2 points
    assert (helper.detail["base"], helper.detail["item_points"], helper.score) == (73.28, -2.0, 71.28)
    assert [i["code"] for i in helper.detail["items"]] == ["verified_complaint"]  # the unapproved bonus is absent
    # hearings 6/15 → 40, archived 2/10 → 20, the node he held done late → 90: 49; with the team:
    # 0.6·49 + 0.4·65.94 = 55.78, below the clerk's pass score of 60: a month not met, and still no ladder for staff
    assert clerk.detail["work"] == {"archived": 2, "hearings": 6, "nodes_late": 1}
    assert (clerk.scheme, clerk.detail["own"], clerk.score, clerk.met) == ("clerk", 49.0, 55.78, False)

    quarter = _record(db, world, "assistant_a", "2025-Q1")
    assert (quarter.scheme, quarter.score) == ("assistant", 71.28)
    with db.read() as s:
        staff = [assistant, world.users["clerk_a"].id]
        assert s.exec(select(LadderStep).where(LadderStep.user_id.in_(staff))).all() == []
        titles = [e.title for e in dossier_entries(s, assistant, 2025)]
    assert "2025-03 月度考核：完成任务" in titles and "2025-Q1 季度评价：完成任务" in titles
    assert "减分项目经审批：有效投诉（-2分）" in titles
    person = _actor(db, world, "assistant_a")
    with pytest.raises(Refused, match="2025-03 has been assessed with this item: too late to object"):
        fire(db, person, "score_items", deduction["id"], "raise_objection", {"objection": "投诉与本人无关"},
             moment(date(2025, 4, 2)))
    assert fire(db, chief, "score_items", bonus["id"], "approve", {}, moment(date(2025, 4, 2)))["counts_in"] == "2025-04"


def test_the_person_objects_once_and_the_committee_decides(any_db):
    db = any_db
    world, _ = _team(db)
    assistant = world.users["assistant_a"].id
    item = enter_item(db, _actor(db, world, "judge_a"), ItemEntry(
        user_id=assistant, code="discipline", occurred_on=date(2025, 4, 1), reason="迟到三次", evidence="考勤记录"),
        moment(date(2025, 4, 2)))
    fire(db, _actor(db, world, "chief"), "score_items", item["id"], "approve", {}, moment(date(2025, 4, 3)))
    person, committee = _actor(db, world, "assistant_a"), _actor(db, world, "committee_hp")
    with pytest.raises(NotFound):  # a colleague sees nothing of it
        fire(db, _actor(db, world, "judge_b"), "score_items", item["id"], "raise_objection", {"objection": "代为异议"},
             moment(date(2025, 4, 7)))
    with pytest.raises(Refused, match="only the person the item is about may object"):
        fire(db, _actor(db, world, "judge_a"), "score_items", item["id"], "raise_objection", {"objection": "代为异议"},
             moment(date(2025, 4, 7)))
    objected = fire(db, person, "score_items", item["id"], "raise_objection", {"objection": "当日系外出送达，有记录"},
                    moment(date(2025, 4, 7)))
    assert (objected["state"], objected["counts_in"]) == ("objected", None)
    with db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "decide_score_objection")).one()
    assert (task.assignee_role, task.due_on) == ("committee", date(2025, 4, 21))

    run_monthly_assessment(db, date(2025, 5, 1), moment(date(2025, 5, 1)))
    assert _record(db, world, "assistant_a", "2025-04").detail.get("items") is None  # waiting: not counted

    with pytest.raises(Refused, match="decision needs its reasons"):
        fire(db, committee, "score_items", item["id"], "dismiss_objection", {"note": ""}, moment(date(2025, 5, 6)))
    kept = fire(db, committee, "score_items", item["id"], "dismiss_objection", {"note": "外出送达无审批记录，异议不成立"},
                moment(date(2025, 5, 6)))
    assert (kept["state"], kept["counts_in"]) == ("approved", "2025-05")
    with db.read() as s:  # the person was told when it was approved and when the committee decided
        told = s.exec(select(Notice.context).where(Notice.kind == "score_item",
                                                   Notice.recipient_user_id == assistant).order_by(Notice.id)).all()
    assert [(c["what"], c["counts_in"]) for c in told] == [("approved", "2025-04"), ("dismissed", "2025-05")]
    with pytest.raises(Refused, match="objected to once only"):
        fire(db, person, "score_items", item["id"], "raise_objection", {"objection": "再次异议"}, moment(date(2025, 5, 7)))
    run_monthly_assessment(db, date(2025, 6, 1), moment(date(2025, 6, 1)))
    may = _record(db, world, "assistant_a", "2025-05")
    assert (may.detail["item_points"], may.score) == (-3.0, round(may.detail["base"] - 3, 2))


def test_administrative_staff_are_assessed_where_the_courts_policy_says_so(db):
    world, _ = _team(db)
    with db.write() as s:  # the trial office's officer did 4 inbox tasks in March, on time
        for i in range(4):
            s.add(Task(kind="review_list", title="审阅月报", subject_kind="tasks", subject_id=1,
                       court_id=world.courts["hp"].id, assignee_user_id=world.users["office"].id,
                       due_on=date(2025, 3, 20), state="done", done_by=world.users["office"].id,
                       done_at=datetime(2025, 3, 10, 2, tzinfo=timezone.utc)))
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="assessment",
                             data={"staff": {"administrative": {"assessed": True}}}))
    run_monthly_assessment(db, date(2025, 4, 1), moment(date(2025, 4, 1)))
    office = _record(db, world, "office")
    # tasks 4/20 → 20, none late → 100: 0.6·20 + 0.4·100 = 52, its own work being all of the scheme
    assert (office.scheme, office.detail["work"], office.score) == (
        "administrative", {"tasks_done": 4, "tasks_late": 0}, 52.0)
    with db.read() as s:  # the other court keeps the default: its offices are not assessed
        others = s.exec(select(AssessmentRecord).where(AssessmentRecord.scheme == "administrative",
                                                       AssessmentRecord.court_id != world.courts["hp"].id)).all()
    assert others == []
