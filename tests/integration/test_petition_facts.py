"""Contract C4: the petition facts that quality review, assessment and the indicators read."""
from datetime import date

import pytest
from sqlmodel import select

from services.petitions.facts import PetitionCount, cases_with_petitions, petition_counts, petition_credits
from store.models import Case
from tests.case_helpers import act, file
from tests.factories import small_world
from tests.petition_helpers import register


@pytest.fixture
def world(any_db):
    world = small_world(any_db)
    for n in (1, 2, 3):
        file(any_db, world, number=f"（2025）辽0102民初{n}号")
    return world


def answer(db, world, petition_id, handler, day):
    act(db, "office", "petitions", petition_id, "assign",
        {"division_id": world.divisions["hp_civil"].id, "handler_user_id": world.users[handler].id}, day)
    act(db, handler, "petitions", petition_id, "answer", {"answer": "已依法答复", "delivery_method": "mail"}, day)


def test_cases_with_petitions_is_a_subquery_of_distinct_cases_registered_in_the_period(any_db, world):
    register(any_db, world, day="2025-03-03", case_number="（2025）辽0102民初1号")
    register(any_db, world, day="2025-03-10", case_number="（2025）辽0102民初1号", petitioner="李某")
    register(any_db, world, day="2025-04-02", case_number="（2025）辽0102民初2号")
    register(any_db, world, day="2025-03-05")                                       # no case
    with any_db.read() as s:
        march = s.exec(select(Case.case_number).where(Case.id.in_(cases_with_petitions(date(2025, 3, 1),
                                                                                       date(2025, 3, 31))))).all()
        rows = s.exec(cases_with_petitions(date(2025, 3, 1), date(2025, 4, 30))).all()
    assert list(march) == ["（2025）辽0102民初1号"]
    assert sorted(row.case_id for row in rows) == [1, 2]


def test_petition_credits_count_answers_per_person_who_answered_in_the_period(any_db, world):
    for petitioner, handler, day in (("甲", "judge_b", "2025-03-04"), ("乙", "judge_b", "2025-03-20"),
                                     ("丙", "judge_c", "2025-03-21"), ("丁", "judge_c", "2025-04-01")):
        answer(any_db, world, register(any_db, world, day="2025-03-03", petitioner=petitioner), handler, day)
    with any_db.read() as s:
        credits = petition_credits(s, date(2025, 3, 1), date(2025, 3, 31))
    assert credits == {world.users["judge_b"].id: 2, world.users["judge_c"].id: 1}


def test_petition_counts_per_court_and_division_received_on_time_late_and_open_late(any_db, world):
    civil, hp, sh = world.divisions["hp_civil"].id, world.courts["hp"].id, world.courts["sh"].id
    answer(any_db, world, register(any_db, world, day="2025-03-03", petitioner="准时"), "judge_b", "2025-03-18")
    answer(any_db, world, register(any_db, world, day="2025-03-03", petitioner="逾期"), "judge_b", "2025-03-19")
    register(any_db, world, day="2025-03-03", petitioner="未复")                    # due 03-18, open, unassigned
    register(any_db, world, day="2025-03-25", petitioner="未到期")                  # due 04-09
    register(any_db, world, day="2025-03-03", petitioner="沈河", court_id=sh, who="mid_office")
    with any_db.read() as s:
        march = petition_counts(s, date(2025, 3, 1), date(2025, 3, 31), as_of=date(2025, 3, 31))
        february = petition_counts(s, date(2025, 2, 1), date(2025, 2, 28), as_of=date(2025, 2, 28))
    assert march == [PetitionCount(hp, None, 2, 0, 0, 1), PetitionCount(hp, civil, 2, 1, 1, 0),
                     PetitionCount(sh, None, 1, 0, 0, 1)]
    assert february == []
