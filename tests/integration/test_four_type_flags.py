"""Four-type cases: the automatic rules at filing and in the daily monitor, flags by hand,
proposals (contract C3), and the lead judge's 3-day report duty."""
from datetime import date

import pytest
from sqlmodel import select

from services.kernel.errors import Refused
from services.supervision.flags import FlagCreate, flag_by_hand
from services.supervision.proposals import propose_four_type
from services.kernel.sweeps import run_daily_monitor
from store.models import Case, FourTypeProposal, Notice, Task
from tests.case_helpers import act, actor, at, designate, file
from tests.factories import small_world
from tests.supervision_helpers import file_with, flags, refusals, supervision_of



@pytest.fixture
def world(any_db):
    return small_world(any_db)


def monitor(db, day: str):
    return run_daily_monitor(db, date.fromisoformat(day), at(day))


def test_each_rule_flags_exactly_its_cases_at_filing_and_the_monitor_adds_only_new_ones(any_db, world):
    old = file_with(any_db, world, "（2023）辽0102民初1号", filed="2023-01-06")
    many = file_with(any_db, world, "（2024）辽0102民初1号", filed="2024-01-08", party_count=12)
    keyword = file_with(any_db, world, "（2024）辽0102民初2号", filed="2024-01-08", cause="征地拆迁补偿纠纷")
    remanded = file_with(any_db, world, "（2024）辽0102民初3号", filed="2024-01-08", remanded=True)
    plain = file_with(any_db, world, "（2024）辽0102民初4号", filed="2024-01-08", party_count=9, cause="买卖合同纠纷")
    at_filing = {(many, 2, "rule:party_count"), (keyword, 2, "rule:keywords"), (remanded, 1, "rule:remanded")}
    assert flags(any_db) == at_filing
    with any_db.write() as s:  # imported from the old system: not filed through courtflow
        imported = Case(case_number="（2024）辽0102民初5号", cause="合伙协议纠纷", procedure="civil-first-ordinary",
                        court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                        filed_on=date(2024, 1, 2), party_count=30, state="filed")
        s.add(imported)
    assert monitor(any_db, "2024-01-09").extra["four_type"] > 0
    assert flags(any_db) == at_filing | {(imported.id, 2, "rule:party_count"), (old, 1, "rule:long_pending")}
    assert plain not in {case for case, _, _ in flags(any_db)}
    assert monitor(any_db, "2024-01-09").extra["four_type"] == 0          # the same day again: nothing
    monitor(any_db, "2024-01-10")
    assert len(flags(any_db)) == 5                                        # the next day: no flag repeated
    with any_db.read() as s:
        flagged_notices = [n for n in s.exec(select(Notice)).all() if n.kind == "four_type_flagged"]
    chief = world.users["chief"].id
    assert sorted(n.subject_id for n in flagged_notices if n.recipient_user_id == chief) == sorted(
        [many, keyword, remanded, imported.id, old])                      # the chief hears of each flag once


def test_a_second_rule_in_the_same_category_adds_no_second_flag(any_db, world):
    case_id = file_with(any_db, world, "（2025）辽0102民初7号", party_count=40, cause="群体性劳动争议")
    assert flags(any_db) == {(case_id, 2, "rule:party_count")}


def test_an_unreported_flag_warns_the_judge_the_chief_and_the_president_exactly_once(any_db, world):
    case_id = file_with(any_db, world, "（2025）辽0102民初8号", party_count=12)
    reported = file_with(any_db, world, "（2025）辽0102民初9号", party_count=15)
    assert supervision_of(any_db, case_id).report_due is None              # no lead judge yet: no duty yet
    designate(any_db, world, case_id, day="2025-01-07")
    designate(any_db, world, reported, judge="judge_b", day="2025-01-07")
    assert supervision_of(any_db, case_id).report_due == date(2025, 1, 10)  # 3 calendar days by default
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "four_type_report", Task.subject_id == supervision_of(
            any_db, case_id).id)).one()
    assert (task.assignee_user_id, task.due_on) == (world.users["judge_a"].id, date(2025, 1, 10))
    act(any_db, "judge_b", "supervisions", supervision_of(any_db, reported).id, "report",
        {"text": "当事人众多，已安排集中调解"}, "2025-01-09")
    monitor(any_db, "2025-01-10")                                         # due today: not yet missed
    monitor(any_db, "2025-01-11")
    monitor(any_db, "2025-01-11")
    monitor(any_db, "2025-01-14")
    with any_db.read() as s:   # the chase of the report task: the judge, the chief and the president, once
        missed = [n for n in s.exec(select(Notice)).all()   # (the cases' own process nodes are chased too)
                  if n.kind == "task_overdue" and n.subject_kind == "supervisions"]
    assert sorted(n.recipient_user_id for n in missed) == sorted([world.users["judge_a"].id, world.users["chief"].id,
                                                                world.users["president"].id])
    assert {(n.subject_kind, n.subject_id, n.context["task_id"]) for n in missed} == {
        ("supervisions", supervision_of(any_db, case_id).id, task.id)}
    assert supervision_of(any_db, reported).state == "reported"


def test_working_day_report_duty_skips_the_weekend(db):
    world = small_world(db)
    with db.write() as s:
        from store.models import PolicyOverride
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="supervision", data={"report": {"working_days": True}}))
    case_id = file_with(db, world, "（2025）辽0102民初10号", party_count=12, filed="2025-01-09")
    designate(db, world, case_id, day="2025-01-09")                       # Thursday → Tue 14th
    assert supervision_of(db, case_id).report_due == date(2025, 1, 14)


def test_flags_by_hand_follow_the_roles_spec_names(any_db, world):
    case_id = file(any_db, world, procedure="civil-first-simplified")  # judge_a alone: judge_b is off the panel
    flag = FlagCreate(category=1, reason="涉及重大公共利益")
    assert flag_by_hand(any_db, actor(any_db, "filing"), case_id, flag, at("2025-01-06")) is True
    assert flag_by_hand(any_db, actor(any_db, "office"), case_id, flag, at("2025-01-06")) is False  # already
    designate(any_db, world, case_id)
    with pytest.raises(Refused, match="filing clerk at intake"):
        flag_by_hand(any_db, actor(any_db, "filing"), case_id, FlagCreate(category=3, reason="类案"), at("2025-01-08"))
    with pytest.raises(Refused):                                          # a judge off the panel
        flag_by_hand(any_db, actor(any_db, "judge_b"), case_id, FlagCreate(category=3, reason="类案"), at("2025-01-08"))
    assert len(refusals(any_db, "cases.four_type_flag")) == 2
    assert flag_by_hand(any_db, actor(any_db, "judge_a"), case_id, FlagCreate(category=3, reason="与上级法院类案冲突"),
                        at("2025-01-08"))
    assert flags(any_db) == {(case_id, 1, "manual:filing_clerk"), (case_id, 3, "manual:judge")}


def test_a_complaint_naming_the_judge_is_proposed_once_and_flags_on_acceptance(any_db, world):
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    with any_db.write() as s:
        first = propose_four_type(s, case_id=case_id, category=4, reason="来信反映承办法官违法审判",
                                  source="petition:17", now=at("2025-02-01"))
    with any_db.write() as s:
        again = propose_four_type(s, case_id=case_id, category=4, reason="再次来信", source="petition:17",
                                  now=at("2025-02-02"))
        other = propose_four_type(s, case_id=case_id, category=4, reason="另一来信", source="petition:18",
                                  now=at("2025-02-02"))
    assert isinstance(first, int) and again is None and other not in (None, first)
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "decide_four_type_proposal", Task.subject_id == first)).one()
    assert task.assignee_role == "trial_office"
    with pytest.raises(Refused):
        act(any_db, "chief", "four_type_proposals", first, "accept", {}, "2025-02-03")
    act(any_db, "office", "four_type_proposals", first, "accept", {}, "2025-02-03")
    act(any_db, "office", "four_type_proposals", other, "decline", {"reason": "与前一来信重复"}, "2025-02-03")
    assert flags(any_db) == {(case_id, 4, f"proposal:{first}")}
    assert supervision_of(any_db, case_id).report_due == date(2025, 2, 6)
    with any_db.read() as s:
        assert s.get(FourTypeProposal, other).note == "与前一来信重复"


def test_a_divisions_own_rules_flag_its_cases_only_at_filing_and_in_the_monitor(any_db, world):
    """The civil division counts a group dispute from 5 parties (its override); the rest of the court from 10."""
    from store.models import PolicyOverride

    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                             name="supervision", data={"rules": {"party_count": {"min_parties": 5}}}))
    filed = file_with(any_db, world, "（2025）辽0102民初11号", party_count=6)
    assert flags(any_db) == {(filed, 2, "rule:party_count")}  # at filing, by the division's rule
    with any_db.write() as s:  # imported: only the monitor's sweep flags them
        imported = {key: Case(case_number=f"（2025）辽0102民初{n}号", cause="合伙协议纠纷",
                              procedure="civil-first-ordinary", court_id=world.courts["hp"].id,
                              division_id=world.divisions[key].id, filed_on=date(2025, 1, 2), party_count=6,
                              state="filed") for n, key in ((12, "hp_civil"), (13, "hp_criminal"))}
        s.add_all(imported.values())
    monitor(any_db, "2025-01-09")
    assert flags(any_db) == {(filed, 2, "rule:party_count"), (imported["hp_civil"].id, 2, "rule:party_count")}
