"""The official PRC working-day calendar: holidays, make-up days, unknown years."""

from datetime import date

import pytest

from policies.calendar import OfficialCalendar, load_calendar
from policies.errors import PolicyError

D = date.fromisoformat


@pytest.fixture
def cal():
    return OfficialCalendar({})


def test_weekdays_are_working_days_and_weekends_are_not(cal):
    assert cal.is_working_day(D("2025-03-14"))  # Friday
    assert not cal.is_working_day(D("2025-03-15"))  # Saturday
    assert not cal.is_working_day(D("2025-03-16"))  # Sunday


def test_national_day_holiday_is_not_a_working_day(cal):
    # 2025 notice: 10-01 (Wed) to 10-08 (Wed) off.
    assert not cal.is_working_day(D("2025-10-01"))
    assert not cal.is_working_day(D("2025-10-08"))
    assert cal.is_working_day(D("2025-10-09"))


def test_make_up_weekend_days_are_working_days(cal):
    # 2025 notice: Sunday 09-28 and Saturday 10-11 are worked (调休上班).
    assert cal.is_working_day(D("2025-09-28"))
    assert cal.is_working_day(D("2025-10-11"))


def test_next_working_day_is_the_day_itself_when_working(cal):
    assert cal.next_working_day(D("2025-03-14")) == (D("2025-03-14"), True)
    assert cal.next_working_day(D("2025-09-28")) == (D("2025-09-28"), True)


def test_next_working_day_skips_a_weekend(cal):
    assert cal.next_working_day(D("2025-03-15")) == (D("2025-03-17"), True)


def test_next_working_day_skips_the_whole_national_day_holiday(cal):
    assert cal.next_working_day(D("2025-10-01")) == (D("2025-10-09"), True)


def test_knows_the_years_of_the_package_only(cal):
    assert cal.knows_year(2004) and cal.knows_year(2026)
    assert not cal.knows_year(2003) and not cal.knows_year(2027)


def test_unknown_year_counts_weekends_only_and_says_so(cal):
    # 2027-01-01 is a Friday: certainly New Year's Day, but nobody has the data yet.
    assert cal.is_working_day(D("2027-01-01"))
    assert cal.next_working_day(D("2027-01-01")) == (D("2027-01-01"), False)
    assert cal.next_working_day(D("2027-01-02")) == (D("2027-01-04"), False)


def test_extra_year_data_makes_the_year_known():
    cal = OfficialCalendar({2027: {"holidays": ["2027-01-01"], "workdays": ["2027-02-20"]}})
    assert cal.knows_year(2027)
    assert cal.next_working_day(D("2027-01-01")) == (D("2027-01-04"), True)
    assert cal.is_working_day(D("2027-02-20"))  # a Saturday made a working day


def test_extra_data_overrides_the_package_day_by_day():
    cal = OfficialCalendar({2025: {"holidays": [date(2025, 3, 14)]}})
    assert not cal.is_working_day(D("2025-03-14"))
    assert not cal.is_working_day(D("2025-10-01"))  # the rest of 2025 is still the package's


def test_rolling_into_an_unknown_year_is_incomplete():
    cal = OfficialCalendar({2026: {"holidays": ["2026-12-31"]}})
    assert cal.next_working_day(D("2026-12-31")) == (D("2027-01-01"), False)


def test_add_working_days_counts_after_the_start_day(cal):
    assert cal.add_working_days(D("2025-03-14"), 1) == (D("2025-03-17"), True)
    assert cal.add_working_days(D("2025-03-14"), 0) == (D("2025-03-14"), True)


def test_seven_working_days_across_national_day(cal):
    # After 09-30: 10-09, 10-10, 10-11 (Saturday, make-up), 10-13, 10-14, 10-15, 10-16.
    assert cal.add_working_days(D("2025-09-30"), 7) == (D("2025-10-16"), True)


def test_make_up_sunday_counts_as_a_working_day(cal):
    assert cal.add_working_days(D("2025-09-26"), 1) == (D("2025-09-28"), True)
    assert cal.add_working_days(D("2025-09-26"), 2) == (D("2025-09-29"), True)


def test_add_working_days_into_an_unknown_year_is_incomplete(cal):
    assert cal.add_working_days(D("2026-12-31"), 1) == (D("2027-01-01"), False)


def test_add_working_days_refuses_negative_counts(cal):
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(D("2025-03-14"), -1)


def test_invalid_extra_data_is_refused():
    with pytest.raises(ValueError, match="listed under year 2027"):
        OfficialCalendar({2027: {"holidays": ["2028-01-03"]}})
    with pytest.raises(ValueError, match="both holiday and workday"):
        OfficialCalendar({2027: {"holidays": ["2027-01-04"], "workdays": ["2027-01-04"]}})


def test_shipped_calendar_yaml_loads_with_no_extra_years():
    assert not load_calendar().knows_year(2027)


def test_calendar_yaml_with_2027_data(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: []\n")
    cal = load_calendar(path)
    assert cal.next_working_day(D("2027-01-01")) == (D("2027-01-04"), True)


def test_calendar_yaml_error_names_file_and_key(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("years:\n  2027:\n    holidays: [2027-02-30]\n")
    with pytest.raises(PolicyError) as err:
        load_calendar(path)
    assert str(err.value).startswith(f"{path}: years.2027.holidays.0: ")
