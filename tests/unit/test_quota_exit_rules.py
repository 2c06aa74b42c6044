"""Quota-exit rules without a database: windows by policy, severity, application checks, evidence files, guards."""
from datetime import date
from types import SimpleNamespace

import pytest

from policies.calendar import load_calendar
from policies.evidence_files import EvidenceRefused, check_file
from policies.quota_exit import Window, application_findings, is_harsher, reentry_refusal, remind_on, window_end
from policies.registry import build
from statemachines.base import Refusal
from statemachines.quota_exit import DueProcessMachine
from tests.exit_helpers import PDF, PNG

CAL = load_calendar()
POLICY = build("quota_exit")
TYPES, LIMIT = POLICY.evidence.types, POLICY.evidence.max_bytes


def test_a_calendar_window_counts_from_the_next_day_and_ends_on_a_working_day():
    ten = Window(length=10, party="judge")
    assert window_end(date(2025, 3, 4), ten, CAL) == date(2025, 3, 14)            # a Friday
    assert window_end(date(2025, 3, 5), ten, CAL) == date(2025, 3, 17)            # Saturday 15th → Monday
    assert window_end(date(2025, 3, 5), ten, CAL, roll_to_working_day=False) == date(2025, 3, 15)
    assert window_end(date(2025, 9, 28), Window(length=3, party="judge"), CAL) == date(2025, 10, 9)  # National Day


def test_a_working_day_window_skips_weekends_and_holidays():
    rule = Window(length=10, days="working", party="judge")
    assert window_end(date(2025, 3, 4), rule, CAL) == date(2025, 3, 18)
    assert window_end(date(2025, 9, 29), Window(length=3, days="working", party="judge"), CAL) == date(2025, 10, 10)


def test_the_reminder_comes_before_the_end_but_never_before_the_window_opened():
    assert remind_on(date(2025, 3, 14), 3, date(2025, 3, 4)) == date(2025, 3, 11)
    assert remind_on(date(2025, 3, 6), 3, date(2025, 3, 5)) == date(2025, 3, 5)


def test_severity_orders_no_exit_below_observation_below_exit():
    assert is_harsher("exit", "observation") and is_harsher("observation", "no_exit")
    assert not is_harsher("no_exit", "exit") and not is_harsher("exit", "exit")


def test_an_application_is_flagged_under_three_years_or_with_an_important_case():
    assert application_findings(POLICY, date(2019, 1, 1), date(2025, 3, 3), []) == []
    assert application_findings(POLICY, date(2023, 6, 1), date(2025, 3, 3), ["（2024）辽0102民初9号"]) == [
        "in the quota since 2023-06-01, under 3 years", "lead judge of the important pending case （2024）辽0102民初9号"]


def test_re_entry_is_open_for_a_job_need_within_five_years():
    assert reentry_refusal(POLICY, "rotation", date(2021, 3, 3), date(2026, 3, 3)) is None
    assert "within 5 years" in reentry_refusal(POLICY, "rotation", date(2021, 3, 2), date(2026, 3, 3))
    assert "job need" in reentry_refusal(POLICY, "retirement", date(2025, 1, 1), date(2025, 3, 3))


def test_an_allowed_file_matching_its_label_is_accepted_with_its_checksum():
    checked = check_file("dir/../考核说明.PDF", "application/pdf", PDF, TYPES, LIMIT)
    assert (checked.filename, checked.content_type, checked.size) == ("考核说明.PDF", "application/pdf", len(PDF))
    assert len(checked.sha256) == 64
    assert check_file("说明.txt", "text/plain; charset=utf-8", "本人陈述".encode(), TYPES, LIMIT).size == 12


@pytest.mark.parametrize("name, declared, data, message", [
    ("a.pdf", "application/pdf", b"", "is empty"),
    ("a.pdf", "application/pdf", b"%PDF-" + b"x" * LIMIT, "over the limit"),
    ("a.pdf", "application/pdf", PNG, "mislabelled"),
    ("a.png", "image/png", PDF, "mislabelled"),
    ("a.jpg", "image/jpeg", PNG, "mislabelled"),
    ("a.txt", "text/plain", b"\x00\x01binary", "mislabelled"),
    ("a.png", "application/pdf", PNG, "declared as application/pdf"),
    ("a.exe", "application/octet-stream", b"MZ", "not accepted"),
    ("noextension", "", PDF, "not accepted"),
])
def test_empty_oversized_or_mislabelled_files_are_refused_with_the_reason(name, declared, data, message):
    with pytest.raises(EvidenceRefused, match=message):
        check_file(name, declared, data, TYPES, LIMIT)


def _row(**kw):
    base = dict(state="statement_period", waived_on=None, hearing_requested=False, hearing_held_on=None,
                decision=None, reconsideration_outcome=None, higher_review_outcome=None, observation_months=None)
    row = SimpleNamespace(**{**base, **kw})
    row.standing_outcome = row.higher_review_outcome or row.reconsideration_outcome or row.decision
    return row


def test_the_review_waits_for_the_end_of_the_statement_period_or_a_waiver():
    windows = {"statement": date(2025, 3, 14)}
    with pytest.raises(Refusal, match="cannot start before the statement period ends"):
        DueProcessMachine(model=_row(), state_field="state").send("start_review", today=date(2025, 3, 14), windows=windows)
    row = _row()
    DueProcessMachine(model=row, state_field="state").send("start_review", today=date(2025, 3, 15), windows=windows)
    assert row.state == "committee_review"
    row = _row(waived_on=date(2025, 3, 6))
    DueProcessMachine(model=row, state_field="state").send("start_review", today=date(2025, 3, 6), windows=windows)
    assert row.state == "committee_review"


def test_a_reconsideration_is_never_harsher_than_the_decision():
    data = SimpleNamespace(outcome="exit", observation_months=None)
    row = _row(state="reconsideration", decision="observation", observation_months=3)
    with pytest.raises(Refusal, match="harsher"):
        DueProcessMachine(model=row, state_field="state").send("decide_reconsideration", data=data)
    with pytest.raises(Refusal, match="harsher"):
        DueProcessMachine(model=row, state_field="state").send(
            "decide_reconsideration", data=SimpleNamespace(outcome="observation", observation_months=6))
    DueProcessMachine(model=row, state_field="state").send("decide_reconsideration",
                                                           data=SimpleNamespace(outcome="no_exit"))
