"""The ladders are data: the shipped three load, bad ones are refused with the key, and the pure
engine decides which rung is due from a judge's history."""
import pytest

from policies.errors import PolicyError
from policies.ladder import Facts, due
from policies.registry import build


def months(*missed: bool) -> list[Facts]:
    """Oldest first in the call, newest first in the result; streaks as the assessment counts them."""
    facts, streak = [], 0
    for i, miss in enumerate(missed, start=1):
        streak = streak + 1 if miss else 0
        facts.append(Facts(period=f"2025-{i:02d}", met=not miss, missed_streak=streak))
    return facts[::-1]


def years(*grades: str) -> list[Facts]:
    return [Facts(period=str(2020 + i), met=True, missed_streak=0, grade=g) for i, g in enumerate(grades)][::-1]


def steps(name: str) -> dict:
    return {s.key: s for s in build(f"ladder_{name}").steps}


def test_the_default_ladder_interviews_once_at_the_third_month_and_explains_every_month():
    ladder = steps("liaoning")
    assert [n for n in range(1, 8) if due(ladder["interview"], months(*[True] * n))] == [3]
    assert all(due(ladder["explanation"], months(*[True] * n)) for n in range(1, 8))
    assert not due(ladder["interview"], months(True, True, False, True, True))  # recovered: the run starts again


def test_the_spc_rule_opens_the_exit_for_one_incompetent_year_or_two_basically_competent():
    spc = steps("spc")
    assert due(spc["exit_incompetent"], years("competent", "incompetent"))
    assert due(spc["exit_basically_competent"], years("basically_competent", "basically_competent"))
    assert not due(spc["exit_basically_competent"], years("competent", "basically_competent"))


def test_the_observation_ladder_exits_only_when_all_three_observed_months_are_missed():
    obs = steps("observation")
    assert due(obs["observation"], months(*[True] * 6))
    assert due(obs["exit"], months(*[True] * 9))
    assert not any(due(obs["exit"], months(*[True] * 6, False, *[True] * k)) for k in range(0, 3))


def test_a_ladder_with_two_conditions_in_one_step_is_refused_naming_the_key():
    bad = {"steps": [{"key": "x", "label": "x", "when": {"months_missed_in_a_row": 1, "years_missed_in_a_row": 1},
                      "action": {"kind": "interview", "role": "division_chief"}}]}
    with pytest.raises(PolicyError, match=r"steps\.0\.when: .*give exactly one condition"):
        build("ladder_liaoning", [("override ladder_liaoning of court 3 (v1)", bad)])


def test_an_observation_without_an_exit_after_it_is_refused():
    data = {"steps": [{"key": "o", "label": "观察", "when": {"months_missed_in_a_row": 6},
                       "action": {"kind": "observation", "role": "president", "months": 3}}]}
    with pytest.raises(PolicyError, match="needs an exit step at 9"):
        build("ladder_observation", [("override", data)])
