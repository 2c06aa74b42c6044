"""Requests to change the lead judge (statemachines/reassignment.py) on a plain row."""
from statemachines.reassignment import ReassignmentMachine
from tests.unit.machine_table import Refused, Step, Table, actor, machine_tests

PRESIDENT, JUDGE = actor(1), actor(7)

STEPS = [
    Step("requested", "approve", "approved", facts={"actor": PRESIDENT}),
    Step("requested", "refuse", "refused", facts={"actor": PRESIDENT}),
    Step("requested", "withdraw", "withdrawn", facts={"actor": JUDGE}),
]

REFUSALS = [Refused("not_own_request", "requested", event, "you cannot decide your own reassignment request",
                    facts={"actor": JUDGE}) for event in ("approve", "refuse")]

TABLES = [Table(ReassignmentMachine, {"requested_by": JUDGE.user_id}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
