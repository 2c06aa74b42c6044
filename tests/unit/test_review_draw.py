"""The routine draw (常规随机抽查): reproducible, the policy's share, at least one case per judge."""
import math

import pytest

from policies.quality_review import draw_sample
from policies.registry import build

# 40 cases: judge 1 closed 30, judge 2 closed 9, judge 3 closed 1
POPULATION = [(100 + i, 1) for i in range(30)] + [(200 + i, 2) for i in range(9)] + [(300, 3)]


def test_the_same_population_and_seed_give_the_same_cases_in_any_order():
    assert draw_sample(POPULATION, "seed-1", 0.1) == draw_sample(list(reversed(POPULATION)), "seed-1", 0.1)


def test_another_seed_gives_another_sample():
    samples = {tuple(draw_sample(POPULATION, f"seed-{n}", 0.1)) for n in range(20)}
    assert len(samples) > 10


@pytest.mark.parametrize("seed", [f"s{n}" for n in range(25)])
def test_ten_percent_with_every_judge_in_it(seed):
    sample = draw_sample(POPULATION, seed, 0.1)
    judges = {judge for case, judge in POPULATION if case in sample}
    assert len(sample) == max(math.ceil(0.1 * len(POPULATION)), 3) == 4
    assert judges == {1, 2, 3} and 300 in sample


def test_without_the_per_judge_rule_the_sample_is_exactly_the_share():
    assert len(draw_sample(POPULATION, "x", 0.25, per_judge=False)) == 10


def test_more_judges_than_the_share_gives_one_case_per_judge():
    population = [(i, i) for i in range(1, 8)]
    assert draw_sample(population, "x", 0.1) == list(range(1, 8))


def test_an_empty_month_draws_nothing():
    assert draw_sample([], "x", 0.1) == []


def test_the_default_policy_is_the_specs():
    p = build("quality_review")
    assert (p.routine.rate, p.objection.window_days, p.rectification.due_days) == (0.10, 7, 30)
    assert p.reviewers.exclude_same_division and p.needs_rectification("flaw") and not p.needs_rectification("pass")
