"""Quiet hours on the court's wall clock: spanning midnight or not, urgent kinds never held."""
from datetime import datetime, timezone

import pytest

from policies.notice_timing import (COURT_TZ, DIGEST_KIND, URGENT_KINDS, WAITING_FOR_DIGEST, clock, digest_due,
                                   first_try, held_until, parse_clock)

NIGHT = (22 * 60, 7 * 60)
LUNCH = (12 * 60, 13 * 60 + 30)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=COURT_TZ).astimezone(timezone.utc)


@pytest.mark.parametrize("when, hours, until", [
    ("2025-03-03T22:00", NIGHT, "2025-03-04T07:00"),
    ("2025-03-03T23:59", NIGHT, "2025-03-04T07:00"),
    ("2025-03-04T00:30", NIGHT, "2025-03-04T07:00"),
    ("2025-03-04T06:59", NIGHT, "2025-03-04T07:00"),
    ("2025-03-04T07:00", NIGHT, None),
    ("2025-03-03T21:59", NIGHT, None),
    ("2025-03-03T12:15", LUNCH, "2025-03-03T13:30"),
    ("2025-03-03T13:30", LUNCH, None),
    ("2025-03-03T23:00", LUNCH, None),
])
def test_an_ordinary_notice_waits_until_the_quiet_hours_end(when, hours, until):
    held = held_until("deadline_warning", *hours, at(when))
    assert held == (None if until is None else at(until))


@pytest.mark.parametrize("kind", sorted(URGENT_KINDS))
def test_urgent_kinds_ignore_quiet_hours(kind):
    assert held_until(kind, *NIGHT, at("2025-03-04T00:30")) is None


def test_no_quiet_hours_hold_nothing():
    assert held_until("deadline_warning", None, None, at("2025-03-04T00:30")) is None


def test_the_urgent_kinds_are_kinds_with_templates():
    from notifications.render import kinds

    assert URGENT_KINDS <= set(kinds())


@pytest.mark.parametrize("text, minutes", [("22:00", 1320), ("7:05", 425), ("00:00", 0), ("23:59", 1439)])
def test_clock_times_are_read_as_minutes_of_the_day(text, minutes):
    assert parse_clock(text) == minutes and parse_clock(clock(minutes)) == minutes


@pytest.mark.parametrize("text", ["24:00", "22:60", "22", "22:0", "-1:00", "ten", "", "22:00:00"])
def test_anything_but_a_24_hour_clock_time_is_refused(text):
    with pytest.raises(ValueError):
        parse_clock(text)


def test_a_digest_reader_s_ordinary_notice_waits_for_the_digest_and_an_urgent_one_does_not():
    night = at("2025-03-04T00:30")
    assert first_try("deadline_warning", None, None, True, night) == (WAITING_FOR_DIGEST, night)
    assert first_try("deadline_overdue", *NIGHT, True, night) == ("pending", night)
    assert first_try(DIGEST_KIND, *NIGHT, True, night) == ("pending", at("2025-03-04T07:00"))


@pytest.mark.parametrize("built, due", [("2025-03-04T00:30", "2025-03-04T08:00"), ("2025-03-04T09:15", "2025-03-04T09:15")])
def test_a_digest_goes_out_at_eight_or_at_once_when_built_later(built, due):
    assert digest_due(at(built)) == at(due)
