"""Quota exit (statemachines/quota_exit.py): the due process and the exit request, on plain rows."""
from datetime import date

from statemachines.quota_exit import DueProcessMachine, ExitRequestMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

CLOSES = date(2025, 3, 14)
WINDOWS = {"statement": CLOSES, "reconsideration_application": CLOSES, "higher_review_application": CLOSES}
INSIDE = {"today": CLOSES, "windows": WINDOWS}
AFTER = {"today": date(2025, 3, 15), "windows": WINDOWS}
WAIVED = {"waived_on": date(2025, 3, 6)}


def _standing(outcome: str, months=None, **model) -> dict:
    """A row whose decision (or reconsideration) stands at `outcome`."""
    return {"decision": outcome, "standing_outcome": outcome, "observation_months": months, **model}


def _reconsidered(outcome: str) -> dict:
    return _standing("exit", reconsideration_outcome=outcome) | {"standing_outcome": outcome}


def _outcome(outcome: str, months=None) -> dict:
    return {"data": data(outcome=outcome, observation_months=months)}


DUE_PROCESS = Table(DueProcessMachine, {
    "waived_on": None, "hearing_requested": False, "hearing_held_on": None, "decision": None,
    "reconsideration_outcome": None, "observation_months": None, "standing_outcome": None}, [
    Step("opened", "add_evidence", "opened"),
    Step("opened", "notify", "notified"),
    Step("notified", "acknowledge", "statement_period"),
    Step("notified", "record_service", "statement_period"),
    *[Step("statement_period", event, "statement_period", facts=INSIDE)
      for event in ("add_evidence", "file_statement", "ask_hearing", "waive")],
    Step("statement_period", "start_review", "committee_review", facts=AFTER),
    Step("statement_period", "start_review", "committee_review", model=WAIVED, facts=INSIDE),
    *[Step("committee_review", event, "committee_review") for event in
      ("add_evidence", "file_statement", "attach_submissions")],
    Step("committee_review", "record_hearing", "committee_review", model={"hearing_requested": True}),
    Step("committee_review", "decide", "decided", facts={"unattached": 0}),
    Step("committee_review", "decide", "decided", model={"hearing_requested": True, "hearing_held_on": CLOSES}),
    Step("decided", "serve_decision", "dismissed", model=_standing("no_exit")),
    *[Step("decided", "serve_decision", "reconsideration_window", model=_standing(outcome, 6))
      for outcome in ("observation", "exit")],
    Step("reconsideration_window", "apply_reconsideration", "reconsideration", facts=INSIDE),
    Step("reconsideration_window", "finalize", "dismissed", model=_standing("no_exit"), facts=AFTER),
    Step("reconsideration_window", "finalize", "effective", model=_standing("exit"), facts=AFTER),
    Step("reconsideration", "decide_reconsideration", "reconsideration", model=_standing("exit"),
         facts=_outcome("observation", 6)),
    Step("reconsideration", "decide_reconsideration", "reconsideration", model=_standing("observation", 6),
         facts=_outcome("observation", 3)),
    Step("reconsideration", "apply_higher_review", "review_by_higher_court", model=_reconsidered("observation"),
         facts=INSIDE),
    Step("reconsideration", "finalize", "dismissed", model=_reconsidered("no_exit"), facts=INSIDE),
    Step("reconsideration", "finalize", "effective", model=_reconsidered("exit"), facts=AFTER),
    Step("review_by_higher_court", "decide_higher_review", "dismissed", model=_reconsidered("exit"),
         facts=_outcome("no_exit")),
    Step("review_by_higher_court", "decide_higher_review", "effective", model=_reconsidered("exit"),
         facts=_outcome("exit")),
], [
    *[Refused("statement_window_open", "statement_period", event, "the judge waived the statement period on 2025-03-06",
              model=WAIVED, facts=INSIDE) for event in ("add_evidence", "file_statement", "ask_hearing", "waive")],
    *[Refused("statement_window_open", "statement_period", event, "the statement period ended on 2025-03-14",
              facts=AFTER) for event in ("add_evidence", "file_statement", "ask_hearing", "waive")],
    Refused("statement_period_over", "statement_period", "start_review",
            r"cannot start before the statement period ends \(2025-03-14\) unless the judge waives it", facts=INSIDE),
    Refused("reconsideration_window_open", "reconsideration_window", "apply_reconsideration",
            "the time to apply for reconsideration ended on 2025-03-14", facts=AFTER),
    *[Refused("reconsideration_window_closed", "reconsideration_window", "finalize",
              "the judge may still apply for reconsideration until 2025-03-14", model=_standing(outcome),
              facts=INSIDE) for outcome in ("no_exit", "exit")],
    Refused("higher_review_window_open", "reconsideration", "apply_higher_review",
            "the reconsideration decided no exit: there is nothing for the higher court to review",
            model=_reconsidered("no_exit"), facts={"today": CLOSES, "windows": {"statement": CLOSES}}),
    Refused("higher_review_window_open", "reconsideration", "apply_higher_review",
            "the time to apply for review by the higher court ended on 2025-03-14",
            model=_reconsidered("exit"), facts=AFTER),
    Refused("higher_review_window_closed", "reconsideration", "finalize",
            "the judge may still apply for review by the higher court until 2025-03-14",
            model=_reconsidered("observation"), facts=INSIDE),
    Refused("submissions_attached", "committee_review", "decide",
            r"no decision without the judge's submissions: 2 submission\(s\) of the judge are not yet attached",
            facts={"unattached": 2}),
    Refused("hearing_was_asked", "committee_review", "record_hearing", "the judge did not ask for a hearing"),
    Refused("hearing_held_if_asked", "committee_review", "decide",
            "the judge asked for a hearing: record the hearing before deciding", model={"hearing_requested": True}),
    Refused("reconsideration_pending", "reconsideration", "decide_reconsideration",
            "the reconsideration has already been decided", model=_reconsidered("observation"),
            facts=_outcome("no_exit")),
    *[Refused("reconsideration_decided", "reconsideration", event, "the reconsideration has not been decided yet",
              model=_standing("exit"), facts=INSIDE) for event in ("apply_higher_review", "finalize")],
    Refused("never_harsher", "reconsideration", "decide_reconsideration",
            r"cannot be harsher than the decision under review \(observation, 3 months\); 'exit' is harsher \(不加重\)",
            model=_standing("observation", 3), facts=_outcome("exit")),
    Refused("never_harsher", "reconsideration", "decide_reconsideration",
            r"\(observation, 3 months\); 'observation' is harsher", model=_standing("observation", 3),
            facts=_outcome("observation", 6)),
    Refused("never_harsher", "review_by_higher_court", "decide_higher_review",
            r"cannot be harsher than the decision under review \(no_exit\); 'observation' is harsher",
            model=_reconsidered("no_exit"), facts=_outcome("observation", 3)),
])

EXIT_REQUEST = Table(ExitRequestMachine, {"checks": {"findings": []}}, [
    Step("applied", "approve", "effective", facts={"data": data(override_reason="")}),
    Step("applied", "approve", "effective", model={"checks": {"findings": ["in the quota since 2023-06-01"]}},
         facts={"data": data(override_reason="工作需要调任，院党组同意")}),
    Step("applied", "refuse", "refused"),
    Step("applied", "withdraw", "withdrawn"),
    Step("recorded", "approve", "effective"),
    Step("recorded", "withdraw", "withdrawn"),
    Step("effective", "apply_reentry", "reentry_requested", facts={"reentry_refusal": None}),
    Step("reentry_requested", "approve_reentry", "reentered"),
    Step("reentry_requested", "refuse_reentry", "effective"),
], [
    Refused("checks_passed_or_override", "applied", "approve",
            "an application is usually refused when in the quota since 2023-06-01, under 3 years; lead judge of "
            r"the important pending case （2024）辽0102民初9号: approving it needs an override reason",
            model={"checks": {"findings": ["in the quota since 2023-06-01, under 3 years",
                                           "lead judge of the important pending case （2024）辽0102民初9号"]}},
            facts={"data": data(override_reason="")}),
    Refused("reentry_open", "effective", "apply_reentry", "re-entry is open only within 5 years",
            facts={"reentry_refusal": "re-entry is open only within 5 years"}),
])

TABLES = [DUE_PROCESS, EXIT_REQUEST]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
