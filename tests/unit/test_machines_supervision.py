"""四类案件 supervision, required reports and flag proposals (statemachines/supervision.py) on plain rows."""
from statemachines.supervision import ProposalMachine, RequiredReportMachine, SupervisionMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

MEASURES = ("read_file", "attend_hearing", "require_report", "require_similar_case_search", "refer_to_meeting",
            "refer_to_committee")

SUPERVISION = Table(SupervisionMachine, {}, [
    Step("flagged", "report", "reported"),
    *[Step(state, measure, state) for state in ("flagged", "reported") for measure in MEASURES],
    Step("flagged", "end", "ended"),
    Step("reported", "end", "ended"),
], [
    Refused("no_search_outstanding", state, "refer_to_meeting",
            r"a similar-case search report \(类案检索报告\) is required before a meeting on the case",
            facts={"outstanding_searches": 1}) for state in ("flagged", "reported")
])

REQUIRED_REPORT = Table(RequiredReportMachine, {}, [
    Step("required", "submit", "received", facts={"data": data(text="关于本案审理进展的报告")}),
    Step("required", "withdraw", "withdrawn"),
], [
    Refused("has_text", "required", "submit", "the report needs its text", facts={"data": data(text="  ")}),
    Refused("has_text", "required", "submit", "the report needs its text"),
])

PROPOSAL = Table(ProposalMachine, {}, [
    Step("proposed", "accept", "accepted"),
    Step("proposed", "decline", "declined"),
])

TABLES = [SUPERVISION, REQUIRED_REPORT, PROPOSAL]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
