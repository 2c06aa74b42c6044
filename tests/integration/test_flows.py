"""The scheduled flows run as real Prefect flow runs against a test server."""
from datetime import date

from flows.daily_monitor import daily_monitor
from flows.registry import deployments
from tests.case_helpers import designate, file
from tests.factories import small_world


def test_prefect_yaml_names_every_flow_with_a_shanghai_schedule():
    found = deployments()
    assert set(found) == {"daily-monitor", "deliver-notices", "quality-review-sampling", "monthly-assessment",
                          "weekly-notice", "quarterly-report"}
    assert all(d.timezone == "Asia/Shanghai" and d.load() for d in found.values())


def test_the_daily_monitor_flow_run_twice_for_a_day_sends_nothing_the_second_time(prefect_server, db):
    world = small_world(db)
    designate(db, world, file(db, world))
    first = daily_monitor(as_of=date(2025, 7, 8), database_url=db.url)
    second = daily_monitor(as_of=date(2025, 7, 8), database_url=db.url)
    assert first["overdue"] == 2 and second["overdue"] == second["warnings"] == 0


def test_the_quality_review_sampling_flow_run_twice_for_a_month_adds_nothing(prefect_server, db):
    from flows.quality_review_sampling import quality_review_sampling
    from tests.review_helpers import closed_case

    world = small_world(db)
    for i in range(1, 4):
        closed_case(db, world, f"（2025）辽0102民初{i}号", "judge_a", f"2025-02-1{i}")
    first = quality_review_sampling(as_of=date(2025, 3, 1), database_url=db.url)
    second = quality_review_sampling(as_of=date(2025, 3, 1), database_url=db.url)
    assert (first["month"], first["population"], first["routine"], first["new_draws"]) == ("2025-02", 3, 1, 1)
    assert (second["routine"], second["new_draws"], sum(second["focused"].values())) == (0, 0, 0)
