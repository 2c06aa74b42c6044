"""A judge's monthly report of inquiries and interference (statemachines/interference_report.py) on a plain row."""
from datetime import date

from statemachines.interference_report import InterferenceReportMachine
from tests.unit.machine_table import Refused, Step, Table, machine_tests

END = date(2025, 3, 31)

STEPS = [
    Step("due", "file", "filed", facts={"today": END, "month_end": END}),
    Step("due", "file", "filed", facts={"today": date(2025, 4, 7), "month_end": END}),
]

REFUSALS = [
    Refused("month_over", "due", "file", "the report for 2025-03 is filed from 2025-03-31, the last day of the month",
            facts={"today": date(2025, 3, 30), "month_end": END}),
]

TABLES = [Table(InterferenceReportMachine, {"month": "2025-03"}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
