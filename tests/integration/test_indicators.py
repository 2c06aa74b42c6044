"""Indicators (SPEC §8) equal the values worked out by hand on a small fixture, on SQLite and PostgreSQL."""
from datetime import date

import pytest
from sqlmodel import select

from policies.indicators import CORE
from policies.periods import Period
from policies.registry import build
from services.assessment.indicators import indicator_report
from store.models import Case
from tests.factories import small_world

D = date.fromisoformat


def add_case(s, world, n, judge, filed, procedure="civil-first-ordinary", deadline=None, closed=None, method=None,
             state=None, court="hp", division="hp_civil", related_to=None, remanded=False):
    case = Case(case_number=f"（2025）测{n}号", procedure=procedure, court_id=world.courts[court].id,
                division_id=world.divisions[division].id if division else None,
                lead_judge_id=world.users[judge].id if judge else None, filed_on=D(filed),
                deadline=D(deadline) if deadline else None, closed_on=D(closed) if closed else None,
                closing_method=method, state=state or ("closed" if closed else "in_trial"),
                related_to_id=related_to, remanded=remanded)
    s.add(case)
    s.flush()
    return case.id


@pytest.fixture
def fixture(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        first = add_case(s, world, 1, "judge_a", "2025-01-10", deadline="2025-07-10", closed="2025-03-05", method="判决")
        add_case(s, world, 2, "judge_a", "2025-03-03", "civil-first-simplified", "2025-06-03", "2025-03-20", "调解",
                 state="mediated")
        add_case(s, world, 3, "judge_a", "2025-03-10", deadline="2025-09-10")
        add_case(s, world, 4, "judge_a", "2023-12-01", deadline="2024-06-01")
        add_case(s, world, 5, "judge_a", "2024-06-01", deadline="2024-12-01", closed="2025-03-25", method="判决",
                 remanded=True)
        add_case(s, world, 6, None, "2025-03-15", "civil-appeal-judgment", "2025-06-15", court="mid", division=None,
                 related_to=first)
        add_case(s, world, 7, "judge_b", "2025-02-10", deadline="2025-08-10", closed="2025-02-20", method="撤诉",
                 state="withdrawn")
        add_case(s, world, 8, "judge_b", "2024-03-05", deadline="2024-09-05", closed="2024-03-25", method="判决")
    return any_db, world


def report(db, period="2025-03"):
    with db.read() as s:
        return indicator_report(s, Period.parse(period), build("indicators"))


def unit(rep, level, unit_id):
    return next(u for u in rep["units"] if u["level"] == level and u["id"] == unit_id)


def test_a_judges_month_equals_the_hand_computed_values(fixture):
    db, world = fixture
    judge_a = unit(report(db), "judge", world.users["judge_a"].id)
    values = {k: v["value"] for k, v in judge_a["indicators"].items() if k in CORE}
    assert values == {
        "closure_rate": 0.6,                 # 3 closed ÷ (3 carried over + 2 received)
        "within_limit_rate": 0.6667,         # cases 1 and 2 of 3 closed inside their limit
        "closed_received_ratio": 1.5,        # 3 ÷ 2
        "long_pending_share": 0.5,           # case 4 (filed 2023-12) of 2 pending on 31 March
        "avg_days_to_disposition": 122.7,    # (54 + 17 + 297) ÷ 3
        "acceptance_rate": 0.6667,           # 1 − 1 appeal ÷ 3 first-instance closed
        "mediation_withdrawal_rate": 0.3333, # case 2 mediated
        "revise_remand_rate": 0.3333,        # case 5 remanded
        "case_dispute_ratio": 1.0,           # 2 received, both disputes of their own
        "clearance_rate": 0.6667,            # 2 of 3 carried-over cases closed
    }
    assert [a["pending"] for a in judge_a["age_profile"]] == [1, 0, 1, 0, 0]


def test_a_judgment_revised_on_appeal_counts_with_the_remanded_ones(fixture):
    from store.models import AppealOutcome
    db, world = fixture
    with db.write() as s:
        first = s.exec(select(Case).where(Case.case_number == "（2025）测1号")).one()
        s.add(AppealOutcome(case_id=first.id, outcome="revised", appeal_case_number="（2025）辽01民终9号",
                            decided_on=D("2025-04-20")))
    judge_a = unit(report(db), "judge", world.users["judge_a"].id)
    assert judge_a["indicators"]["revise_remand_rate"]["value"] == 0.6667   # cases 1 (revised) and 5 (remanded) of 3


def test_month_on_month_and_year_on_year_come_from_the_same_pass(fixture):
    db, world = fixture
    rep = report(db)
    closure = unit(rep, "judge", world.users["judge_a"].id)["indicators"]["closure_rate"]
    assert (closure["previous"], closure["last_year"], closure["mom"], closure["yoy"]) == (0.0, 0.0, 0.6, 0.6)
    judge_b = unit(rep, "judge", world.users["judge_b"].id)["indicators"]
    assert judge_b["closure_rate"]["value"] is None and judge_b["closure_rate"]["previous"] == 1.0
    assert judge_b["avg_days_to_disposition"]["last_year"] == 20.0
    assert judge_b["mediation_withdrawal_rate"]["previous"] == 1.0
    assert (rep["previous"], rep["last_year"]) == ("2025-02", "2024-03")


def test_courts_and_divisions_sum_their_cases_and_carry_reference_ranges(fixture):
    db, world = fixture
    rep = report(db)
    court = unit(rep, "court", world.courts["hp"].id)
    division = unit(rep, "division", world.divisions["hp_civil"].id)
    assert court["counts"] == division["counts"] and court["counts"]["closed"] == 3
    mid = unit(rep, "court", world.courts["mid"].id)["indicators"]
    assert mid["closure_rate"]["value"] == 0.0 and mid["case_dispute_ratio"]["value"] is None
    within = court["indicators"]["within_limit_rate"]
    assert within["range"] == {"low": 0.95, "high": 1.0} and within["normal"] is False
    assert court["indicators"]["closure_rate"]["normal"] is True  # a month's floor is 0.12


def test_a_quarter_is_compared_with_the_previous_quarter_and_last_years(fixture):
    db, world = fixture
    q1 = unit(report(db, "2025-Q1"), "judge", world.users["judge_a"].id)
    assert q1["counts"]["carried"] == 2 and q1["counts"]["received"] == 3 and q1["counts"]["closed"] == 3
    assert q1["indicators"]["closure_rate"]["value"] == 0.6 and q1["indicators"]["closure_rate"]["range"]["low"] == 0.35
