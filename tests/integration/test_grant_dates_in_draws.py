"""A role grant counts only between its start and end dates, in the draws and in the forms as everywhere else:
a judge whose grant starts tomorrow, or ended yesterday, is neither drawn nor offered today; a draw made while a
grant was in force still verifies after it ends."""
from datetime import date

import pytest
from sqlmodel import select

import cli.assignment as assignment_cli
from services.cases.assignment import verify_draws
from services.kernel.engine import event_choices
from services.kernel.errors import Refused
from store.models import AssignmentDraw, RoleGrant
from tests.case_helpers import act, actor, at, designate, file
from tests.factories import date_grant, judges_in_and_out_of_force

TODAY = "2025-01-07"  # the day the tests' commands are given (tests.case_helpers.act)


@pytest.fixture
def world(any_db):
    return judges_in_and_out_of_force(any_db)


def _ids(world, *names) -> set[int]:
    return {world.users[n].id for n in names}


def _draws(db, case_id) -> list[AssignmentDraw]:
    with db.read() as s:
        return list(s.exec(select(AssignmentDraw).where(AssignmentDraw.case_id == case_id)
                           .order_by(AssignmentDraw.id)).all())


def test_a_judge_whose_grant_starts_tomorrow_or_ended_yesterday_is_not_drawn_today(any_db, world):
    out = _ids(world, "judge_b", "judge_c")
    for n in range(1, 5):
        case_id = file(any_db, world, number=f"（2025）辽0102民初{n}号")
        act(any_db, "filing", "cases", case_id, "assign", {"method": "random"})
        lead, *members = _draws(any_db, case_id)
        assert set(lead.candidates) == _ids(world, "judge_a", "chief", "english_judge")
        assert lead.result_judge_id not in out
        assert all(not set(m.candidates) & out and m.result_judge_id not in out for m in members)  # the panel too
    tomorrow = file(any_db, world, number="（2025）辽0102民初9号")
    act(any_db, "filing", "cases", tomorrow, "assign", {"method": "random"}, day="2025-01-08")
    assert world.users["judge_b"].id in _draws(any_db, tomorrow)[0].candidates  # from its first day
    assert world.users["judge_c"].id not in _draws(any_db, tomorrow)[0].candidates


def test_a_leader_whose_grant_starts_tomorrow_is_not_drawn_for_a_leaders_case(any_db, world):
    date_grant(any_db, world, "vp", "vice_president", starts_on="2025-01-08")
    case_id = file(any_db, world)
    act(any_db, "filing", "cases", case_id, "assign", {"method": "leader", "reason": "重大"})
    assert set(_draws(any_db, case_id)[0].candidates) == _ids(world, "chief", "president")


def test_such_a_judge_is_not_offered_in_a_form_nor_taken_by_name(any_db, world):
    case_id = file(any_db, world)
    offered = event_choices(any_db, actor(any_db, "chief"), "cases", case_id, ["assign"], at(TODAY))
    assert {uid for uid, _ in offered["assign"]["judge_id"]} == _ids(world, "judge_a", "chief", "english_judge")
    later = event_choices(any_db, actor(any_db, "chief"), "cases", case_id, ["assign"], at("2025-01-08"))
    assert world.users["judge_b"].id in {uid for uid, _ in later["assign"]["judge_id"]}
    for name in ("judge_b", "judge_c"):
        with pytest.raises(Refused, match="not an eligible quota judge"):
            designate(any_db, world, case_id, judge=name)
    designate(any_db, world, case_id)  # judge_a
    asked = event_choices(any_db, actor(any_db, "judge_a"), "cases", case_id, ["request_reassignment"], at(TODAY))
    assert {uid for uid, _ in asked["request_reassignment"]["to_judge_id"]} == _ids(world, "chief", "english_judge")
    with pytest.raises(Refused, match="not an eligible quota judge"):
        act(any_db, "judge_a", "cases", case_id, "request_reassignment",
            {"reason_code": "回避", "reason": "与原告系同学", "to_judge_id": world.users["judge_c"].id})


def test_a_stored_draw_verifies_after_the_drawn_judges_grant_ends(any_db, world, monkeypatch, capsys):
    case_id = file(any_db, world)
    act(any_db, "filing", "cases", case_id, "assign", {"method": "random"})
    draws = _draws(any_db, case_id)  # the lead judge's, then the panel's (as many seats as there are judges)
    drawn = {d.result_judge_id for d in draws}
    with any_db.write() as s:
        for grant in s.exec(select(RoleGrant).where(RoleGrant.user_id.in_(drawn), RoleGrant.role == "judge")).all():
            grant.ends_on = date(2025, 1, 8)
            s.add(grant)
    with any_db.read() as s:
        assert [ok for _, ok in verify_draws(s, case_id)] == [True] * len(draws) and len(draws) >= 2
    monkeypatch.setattr(assignment_cli, "database", lambda: any_db)
    assert assignment_cli.assignment_command(["verify", "（2025）辽0102民初1号"]) == 0
    out = capsys.readouterr().out
    assert out.count(" OK") == len(draws) and "MISMATCH" not in out


def test_a_task_is_offered_to_and_given_only_holders_of_a_grant_in_force(any_db, world):
    from services.kernel.tasks import open_task
    from store.models import Task

    case_id = file(any_db, world)
    with any_db.write() as s:
        open_task(s, kind="read_file", title="阅卷", subject_kind="cases", subject_id=case_id,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id, assignee_role="judge",
                  at=at(TODAY))
        task_id = s.exec(select(Task.id).where(Task.kind == "read_file")).one()
    offered = event_choices(any_db, actor(any_db, "chief"), "tasks", task_id, ["assign"], at(TODAY))
    assert {uid for uid, _ in offered["assign"]["user_id"]} == _ids(world, "judge_a", "chief", "english_judge")
    with pytest.raises(Refused, match="does not hold"):
        act(any_db, "chief", "tasks", task_id, "assign", {"user_id": world.users["judge_c"].id, "reason": "分配"},
            day=TODAY)
    act(any_db, "chief", "tasks", task_id, "assign", {"user_id": world.users["judge_a"].id, "reason": "分配"},
        day=TODAY)
