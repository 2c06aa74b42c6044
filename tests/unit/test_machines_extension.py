"""Extension requests (statemachines/extension.py) on a plain row: every step, every refusal, every reason."""
from datetime import date

from statemachines.extension import ExtensionMachine
from tests.unit.machine_table import Refused, Step, Table, actor, data, machine_tests

CHIEF, JUDGE = actor(2), actor(7)
IN_TIME = date(2025, 3, 10)
LATE = date(2025, 3, 11)
OVERRIDE = data(override_reason="案情复杂，院长同意")

STEPS = [
    Step("requested", "approve", "approved", facts={"actor": CHIEF, "today": IN_TIME, "data": data()}),
    Step("requested", "approve", "approved", model={"late": True},
         facts={"actor": CHIEF, "today": IN_TIME, "data": OVERRIDE}),
    Step("requested", "approve", "approved", facts={"actor": CHIEF, "today": LATE, "data": OVERRIDE}),
    Step("requested", "refuse", "refused", facts={"actor": CHIEF}),
    Step("requested", "withdraw", "withdrawn", facts={"actor": JUDGE}),
]

REFUSALS = [
    *[Refused("not_own_request", "requested", event, "you cannot decide your own extension request",
              facts={"actor": JUDGE, "today": IN_TIME}) for event in ("approve", "refuse")],
    Refused("late_needs_override", "requested", "approve",
            r"filed later than the rule allows \(at least 15 days before expiry\); approving it needs an override",
            model={"late": True}, facts={"actor": CHIEF, "today": IN_TIME, "data": data(override_reason="")}),
    Refused("late_needs_override", "requested", "approve", r"at least 20 days before expiry",
            model={"late": True}, facts={"actor": CHIEF, "today": IN_TIME, "file_days": 20}),
    Refused("timely_or_override", "requested", "approve",
            r"due by 2025-03-10 \(at least 5 days before expiry\); approving now needs an override reason",
            facts={"actor": CHIEF, "today": LATE, "data": data()}),
]

TABLES = [Table(ExtensionMachine, {"requested_by": JUDGE.user_id, "late": False, "decide_by": IN_TIME},
                STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
