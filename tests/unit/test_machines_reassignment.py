"""Requests to change the lead judge (statemachines/reassignment.py) on a plain row."""
import pytest

from statemachines.reassignment import ReassignmentMachine
from tests.unit.machine_table import (Refused, Step, Table, actor, assert_not_allowed, assert_refused, assert_step,
                                      not_in_table, refusals_of, steps_of, untested_validators)

PRESIDENT, JUDGE = actor(1), actor(7)

STEPS = [
    Step("requested", "approve", "approved", facts={"actor": PRESIDENT}),
    Step("requested", "refuse", "refused", facts={"actor": PRESIDENT}),
    Step("requested", "withdraw", "withdrawn", facts={"actor": JUDGE}),
]

REFUSALS = [Refused("not_own_request", "requested", event, "you cannot decide your own reassignment request",
                    facts={"actor": JUDGE}) for event in ("approve", "refuse")]

TABLES = [Table(ReassignmentMachine, {"requested_by": JUDGE.user_id}, STEPS, REFUSALS)]


@pytest.mark.parametrize("table, step", steps_of(TABLES))
def test_an_allowed_event_leads_to_its_next_state(table, step):
    assert_step(table, step)


@pytest.mark.parametrize("table, state, event", not_in_table(TABLES))
def test_any_other_event_is_not_allowed_and_the_row_keeps_its_state(table, state, event):
    assert_not_allowed(table, state, event)


@pytest.mark.parametrize("table, refused", refusals_of(TABLES))
def test_a_rule_refuses_with_the_reason_a_person_reads(table, refused):
    assert_refused(table, refused)


@pytest.mark.parametrize("table", TABLES, ids=str)
def test_every_validator_of_the_machine_has_its_refusal_here(table):
    assert not untested_validators(table)
