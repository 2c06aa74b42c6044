"""Drive a machine on a plain row, bound the way the services bind it, with no database.

A machine's tests are three tables: the steps it allows (state × event → next state, with the
facts that pick a guarded branch), every other state × event pair (refused by the library's
TransitionNotAllowed), and one refusal per validator reason.
"""
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from statemachine import StateMachine
from statemachine.exceptions import TransitionNotAllowed

from statemachines.base import Refusal


@dataclass(frozen=True)
class Step:
    """From `state`, `event` leads to `target` (`model`: fields of the row, `facts`: what is sent)."""
    state: str
    event: str
    target: str
    model: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.state}-{self.event}->{self.target}"


@dataclass(frozen=True)
class Refused:
    """`validator` refuses `event` from `state` with `reason` (a regular expression)."""
    validator: str
    state: str
    event: str
    reason: str
    model: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.validator}:{self.state}-{self.event}"


@dataclass(frozen=True)
class Table:
    """One machine's tables; `row` holds the fields of a plain row on which every validator passes."""
    machine: type[StateMachine]
    row: dict
    steps: list[Step]
    refusals: list[Refused] = field(default_factory=list)

    def __str__(self):
        return self.machine.__name__

    def bind(self, state: str, **model) -> tuple[StateMachine, SimpleNamespace]:
        """The machine on a plain object holding `row` overridden by `model`, in `state`."""
        obj = SimpleNamespace(**{**self.row, **model, "state": state})
        return self.machine(model=obj, state_field="state"), obj


def steps_of(tables: list[Table]):
    return [pytest.param(t, s, id=f"{t}:{s}") for t in tables for s in t.steps]


def not_in_table(tables: list[Table]):
    """Every state × event pair no allowed step names."""
    params = []
    for t in tables:
        allowed = {(s.state, s.event) for s in t.steps}
        params += [pytest.param(t, state.id, event.id, id=f"{t}:{state.id}-{event.id}")
                   for state in t.machine.states for event in t.machine.events
                   if (state.id, event.id) not in allowed]
    return params


def refusals_of(tables: list[Table]):
    return [pytest.param(t, r, id=f"{t}:{r}") for t in tables for r in t.refusals]


def assert_step(table: Table, step: Step) -> None:
    sm, obj = table.bind(step.state, **step.model)
    sm.send(step.event, **step.facts)
    assert obj.state == step.target


def assert_not_allowed(table: Table, state: str, event: str, **model) -> None:
    """The library refuses the event and the row keeps its state."""
    sm, obj = table.bind(state, **model)
    with pytest.raises(TransitionNotAllowed):
        sm.send(event)
    assert obj.state == state


def assert_refused(table: Table, refused: Refused) -> None:
    """The validator refuses with its reason and the row keeps its state."""
    sm, obj = table.bind(refused.state, **refused.model)
    with pytest.raises(Refusal, match=refused.reason) as raised:
        sm.send(refused.event, **refused.facts)
    assert refused.validator in {entry.name for entry in raised.traceback}, "refused by another validator"
    assert obj.state == refused.state


def untested_validators(table: Table) -> list[str]:
    """The validators of the machine's transitions that no refusal of the table exercises."""
    named = {str(v) for state in table.machine.states for t in state.transitions for v in t.validators}
    return sorted(named - {r.validator for r in table.refusals})


def actor(user_id):
    return SimpleNamespace(user_id=user_id)


def data(**fields):
    """A validated payload, as the services hand it to the machine."""
    return SimpleNamespace(**fields)


def machine_tests(tables: list[Table]):
    """The four tests every machine's table gets: each allowed step, every other event refused with the row
    unchanged, every validator's reason, and no validator without a refusal in the table. A test module
    binds them to module-level names so pytest collects them there."""
    @pytest.mark.parametrize("table, step", steps_of(tables))
    def test_an_allowed_event_leads_to_its_next_state(table, step):
        assert_step(table, step)

    @pytest.mark.parametrize("table, state, event", not_in_table(tables))
    def test_any_other_event_is_not_allowed_and_the_row_keeps_its_state(table, state, event):
        assert_not_allowed(table, state, event)

    @pytest.mark.parametrize("table, refused", refusals_of(tables))
    def test_a_rule_refuses_with_the_reason_a_person_reads(table, refused):
        assert_refused(table, refused)

    @pytest.mark.parametrize("table", tables, ids=str)
    def test_every_validator_of_the_machine_has_its_refusal_here(table):
        assert not untested_validators(table)

    return (test_an_allowed_event_leads_to_its_next_state,
            test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
            test_a_rule_refuses_with_the_reason_a_person_reads,
            test_every_validator_of_the_machine_has_its_refusal_here)
