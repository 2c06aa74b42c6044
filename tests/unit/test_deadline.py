"""Time-limit arithmetic (SPEC §1.1) and the time-limit policy that feeds it."""

import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from policies.calendar import OfficialCalendar
from policies.deadline import (Duration, Period, add_duration, compute_deadline,
                               excluded_days, parse_date)
from policies.errors import PolicyError, UnknownProcedure, UnknownVariant
from policies.loading import display_path
from services.kernel.clock import local_date
from policies.time_limits import DEFAULT_TIME_LIMITS_PATH, load_time_limits, procedure

D = date.fromisoformat
ROOT = Path(__file__).resolve().parents[2]
SPEC_CODES = {
    "civil-first-ordinary", "civil-first-simplified", "civil-small-claims", "civil-special",
    "civil-appeal-judgment", "civil-appeal-ruling", "civil-retrial-review",
    "criminal-first-public", "criminal-first-simplified", "criminal-fast-track",
    "criminal-private", "criminal-appeal", "criminal-retrial", "admin-first",
    "admin-simplified", "admin-appeal", "enforcement", "enforcement-non-litigation",
    "foreign-civil", "state-compensation",   # SPEC §1.6: 国家赔偿法 第二十八条
}


@pytest.fixture(scope="module")
def cal():
    return OfficialCalendar({})


def months(n):
    return Duration(n, "m")


def days(n):
    return Duration(n, "d")


# --- Duration, Period, dates ------------------------------------------------------

def test_duration_parses_months_and_days():
    assert Duration.parse("6m") == months(6)
    assert Duration.parse("30d") == days(30)
    assert str(Duration.parse("30d")) == "30d"


@pytest.mark.parametrize("text", ["6", "m", "6y", "-3m", "1.5m", "0d", "", "6 months"])
def test_duration_refuses_anything_else_naming_the_text(text):
    with pytest.raises(ValueError, match=f"invalid duration '{text}'"):
        Duration.parse(text)


def test_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="2025-03-10:2025-03-01 ends before it starts"):
        Period(D("2025-03-10"), D("2025-03-01"))


def test_period_parses_start_colon_end():
    assert Period.parse("2025-01-01:2025-01-10") == Period(D("2025-01-01"), D("2025-01-10"))
    with pytest.raises(ValueError, match="expected START:END"):
        Period.parse("2025-01-01")


@pytest.mark.parametrize("text", ["2025-02-30", "20250101", "2025-1-5", "tomorrow"])
def test_parse_date_is_strict(text):
    with pytest.raises(ValueError, match=f"invalid date '{text}'"):
        parse_date(text)


def test_local_date_is_the_shanghai_calendar_day():
    # 2025-03-02 17:00 UTC is already 01:00 on 03-03 in Shanghai.
    assert local_date(datetime(2025, 3, 2, 17, 0, tzinfo=timezone.utc)) == D("2025-03-03")
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2025, 3, 2, 17, 0))


# --- add_duration --------------------------------------------------------------------

@pytest.mark.parametrize("start, dur, expected", [
    ("2025-01-15", months(6), "2025-07-15"),   # same day-of-month
    ("2024-01-31", months(1), "2024-02-29"),   # leap February
    ("2025-01-31", months(1), "2025-02-28"),   # common February
    ("2024-08-31", months(6), "2025-02-28"),
    ("2023-08-31", months(6), "2024-02-29"),
    ("2024-02-29", months(12), "2025-02-28"),
    ("2025-10-31", months(2), "2025-12-31"),
    ("2025-11-30", months(3), "2026-02-28"),   # across a year end
    ("2025-01-15", days(30), "2025-02-14"),    # 16 days to 01-31, 14 more
    ("2024-02-28", days(1), "2024-02-29"),
])
def test_add_duration(start, dur, expected):
    assert add_duration(D(start), dur) == D(expected)


# --- excluded_days -------------------------------------------------------------------

def P(start, end):
    return Period(D(start), D(end))


@pytest.mark.parametrize("periods, expected", [
    ([], 0),
    ([P("2025-01-01", "2025-01-01")], 1),                                  # one day counts
    ([P("2025-01-01", "2025-01-10")], 10),                                 # both ends in
    ([P("2025-01-01", "2025-01-10"), P("2025-02-01", "2025-02-02")], 12),  # disjoint
    ([P("2025-01-01", "2025-01-10"), P("2025-01-05", "2025-01-15")], 15),  # overlap once
    ([P("2025-01-05", "2025-01-15"), P("2025-01-01", "2025-01-10")], 15),  # any order
    ([P("2025-01-01", "2025-01-31"), P("2025-01-10", "2025-01-12")], 31),  # contained
    ([P("2025-01-01", "2025-01-10"), P("2025-01-11", "2025-01-20")], 20),  # adjacent
    ([P("2025-01-01", "2025-01-10"), P("2025-01-10", "2025-01-10")], 10),  # shared end
])
def test_excluded_days(periods, expected):
    assert excluded_days(periods) == expected


# --- compute_deadline ----------------------------------------------------------------

def test_deadline_on_a_working_day_is_not_moved(cal):
    r = compute_deadline(D("2025-01-15"), months(6), [], [], cal)
    assert (r.unrolled_deadline, r.deadline) == (D("2025-07-15"), D("2025-07-15"))
    assert not r.rolled_forward and r.calendar_complete


def test_deadline_on_a_saturday_rolls_to_monday(cal):
    r = compute_deadline(D("2025-03-13"), months(6), [], [], cal)  # 09-13 is a Saturday
    assert (r.unrolled_deadline, r.deadline, r.rolled_forward) == (D("2025-09-13"), D("2025-09-15"), True)


@pytest.mark.parametrize("filed", ["2025-04-01", "2025-04-08"])
def test_deadline_in_national_day_rolls_to_the_first_working_day_after(cal, filed):
    r = compute_deadline(D(filed), months(6), [], [], cal)
    assert r.deadline == D("2025-10-09") and r.rolled_forward


@pytest.mark.parametrize("filed, on", [("2025-03-28", "2025-09-28"), ("2025-04-11", "2025-10-11")])
def test_deadline_on_a_make_up_working_day_stays(cal, filed, on):
    r = compute_deadline(D(filed), months(6), [], [], cal)
    assert r.deadline == D(on) and not r.rolled_forward


def test_extensions_apply_to_the_running_end_date(cal):
    # 2024-08-31 +6m = 2025-02-28, +6m = 2025-08-28 (clamping carries over).
    r = compute_deadline(D("2024-08-31"), months(6), [months(6)], [], cal)
    assert r.deadline == D("2025-08-28")
    assert (r.extension_months, r.extension_days) == (6, 0)


def test_extensions_apply_in_the_order_approved(cal):
    # 2024-11-30 +3m = 2025-02-28. Then +1m +3d = 03-31, but +3d +1m = 03-03 +1m = 04-03.
    first = compute_deadline(D("2024-11-30"), months(3), [months(1), days(3)], [], cal)
    second = compute_deadline(D("2024-11-30"), months(3), [days(3), months(1)], [], cal)
    assert (first.deadline, second.deadline) == (D("2025-03-31"), D("2025-04-03"))
    assert (first.extension_months, first.extension_days) == (1, 3)


def test_excluded_days_are_added_after_the_extensions(cal):
    # 2024-12-28 +1m = 01-28, +1m = 02-28, +3 days = 03-03 (a Monday).
    # Adding the days first would give 12-31 +1m +1m = 02-28.
    excluded = [P("2025-01-06", "2025-01-08")]
    r = compute_deadline(D("2024-12-28"), months(1), [months(1)], excluded, cal)
    assert (r.excluded_days, r.deadline) == (3, D("2025-03-03"))


def test_excluded_periods_push_a_days_limit_later(cal):
    # 2025-01-15 +30d = 02-14, + 10 excluded days = 02-24 (a Monday).
    r = compute_deadline(D("2025-01-15"), days(30), [], [P("2025-01-20", "2025-01-29")], cal)
    assert (r.excluded_days, r.deadline) == (10, D("2025-02-24"))


def test_no_limit_means_no_deadline(cal):
    r = compute_deadline(D("2025-01-15"), None, [], [P("2025-01-20", "2025-01-29")], cal)
    assert (r.deadline, r.unrolled_deadline, r.rolled_forward) == (None, None, False)
    assert r.excluded_days == 10 and r.calendar_complete


def test_a_case_without_a_limit_cannot_be_extended(cal):
    with pytest.raises(ValueError, match="no time limit"):
        compute_deadline(D("2025-01-15"), None, [months(6)], [], cal)


def test_deadline_in_an_unknown_year_rolls_on_weekends_and_is_flagged(cal):
    friday = compute_deadline(D("2026-07-01"), months(6), [], [], cal)  # 2027-01-01
    saturday = compute_deadline(D("2026-07-02"), months(6), [], [], cal)  # 2027-01-02
    assert (friday.deadline, friday.calendar_complete) == (D("2027-01-01"), False)
    assert (saturday.deadline, saturday.calendar_complete) == (D("2027-01-04"), False)


def test_policy_data_for_2027_completes_the_calendar():
    cal = OfficialCalendar({2027: {"holidays": ["2027-01-01"]}})
    r = compute_deadline(D("2026-07-01"), months(6), [], [], cal)
    assert (r.deadline, r.rolled_forward, r.calendar_complete) == (D("2027-01-04"), True, True)


def test_result_as_dict_is_json_ready(cal):
    r = compute_deadline(D("2025-04-01"), months(6), [days(30)], [], cal)
    assert r.as_dict() == {
        "filed": "2025-04-01", "limit": "6m", "extensions": ["30d"],
        "extension_months": 0, "extension_days": 30, "excluded_days": 0,
        "unrolled_deadline": "2025-10-31", "deadline": "2025-10-31",
        "rolled_forward": False, "calendar_complete": True,
    }


# --- the time-limit policy -----------------------------------------------------------

def test_default_policy_has_every_procedure_of_the_spec():
    assert set(load_time_limits().procedures) == SPEC_CODES


@pytest.mark.parametrize("code, limit, first_step", [
    ("civil-first-ordinary", "6m", ("6m", "president")),
    ("civil-small-claims", "2m", ("1m", "president")),
    ("civil-special", "30d", ("30d", "president")),
    ("criminal-first-public", "2m", ("1m", "president")),
    ("criminal-appeal", "2m", ("2m", "high_court")),
    ("admin-first", "6m", (None, "high_court")),
    ("enforcement", "6m", ("3m", "president")),
    ("state-compensation", "3m", ("3m", "president")),
])
def test_default_limits_and_first_extension(code, limit, first_step):
    proc = procedure(code)
    step = proc.extensions[0]
    assert str(proc.limit) == limit
    assert (step.length and str(step.length), step.approver) == first_step


def test_second_civil_ordinary_extension_goes_to_the_higher_court():
    assert procedure("civil-first-ordinary").extensions[1].approver == "higher_court"


def test_adjournments_two_in_ordinary_one_in_simplified():
    assert procedure("civil-first-ordinary").max_adjournments == 2
    assert procedure("civil-first-simplified").max_adjournments == 1
    assert procedure("civil-small-claims").max_adjournments == 1


def test_variants_give_the_longer_limits():
    policy = load_time_limits()
    assert str(policy.limit("criminal-first-simplified")) == "20d"
    assert str(policy.limit("criminal-first-simplified", "long_sentence")) == "45d"
    assert str(policy.limit("criminal-fast-track", "long_sentence")) == "15d"
    with pytest.raises(UnknownVariant, match="'civil-special' has no variant 'x'"):
        policy.limit("civil-special", "x")


def test_criminal_retrial_is_capped_at_six_months_in_total():
    proc = procedure("criminal-retrial")
    assert (str(proc.limit), str(proc.max_total), str(proc.extensions[0].length)) == ("3m", "6m", "3m")


def test_foreign_civil_has_no_limit():
    assert procedure("foreign-civil").limit is None


def test_extension_request_windows():
    rule = load_time_limits().extension_request
    assert (rule.file_at_least_days_before, rule.decide_at_least_days_before) == (15, 5)


def test_unknown_procedure_names_the_code():
    with pytest.raises(UnknownProcedure, match="unknown procedure code 'civil-nope'"):
        procedure("civil-nope")


def _write_policy(tmp_path, change):
    data = yaml.safe_load(DEFAULT_TIME_LIMITS_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "time_limits.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_policy_error_names_file_key_and_bad_value(tmp_path):
    path = _write_policy(tmp_path, lambda d: d["procedures"]["civil-special"].update(limit="x"))
    with pytest.raises(PolicyError) as err:
        load_time_limits(path)
    assert str(err.value).startswith(f"{path}: procedures.civil-special.limit: invalid duration 'x'")


def test_policy_error_for_a_bad_approver_and_a_misspelt_key(tmp_path):
    def change(d):
        d["procedures"]["enforcement"]["extensions"][0]["approver"] = "judge"
        d["procedures"]["enforcement"]["limt"] = "6m"
    with pytest.raises(PolicyError) as err:
        load_time_limits(_write_policy(tmp_path, change))
    assert "procedures.enforcement.extensions.0.approver: Input should be" in str(err.value)
    assert "procedures.enforcement.limt: Extra inputs are not permitted" in str(err.value)


def test_policy_error_for_unreadable_files(tmp_path):
    with pytest.raises(PolicyError, match="cannot read"):
        load_time_limits(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("procedures: [1,\n")
    with pytest.raises(PolicyError, match="broken.yaml: invalid YAML"):
        load_time_limits(broken)


def test_default_policy_path_is_shown_relative_to_the_project():
    assert display_path(DEFAULT_TIME_LIMITS_PATH) == "policies/defaults/time_limits.yaml"


def test_policies_import_no_web_database_or_prefect_code():
    code = (
        "import sys, policies.calendar, policies.deadline, policies.time_limits\n"
        "bad = {'fastapi', 'sqlmodel', 'sqlalchemy', 'prefect', 'apprise', 'store', 'api', "
        "'services', 'flows', 'notifications', 'cli'}\n"
        "print(sorted(bad & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]"
