"""A machine built once serves row after row (services/kernel/machines.py): each row moves by its own state and
facts, a refusal leaves the machine fit for the next row, and nobody shares an instance."""
import re
from datetime import date

import pytest
from statemachine.graph import iterate_states_and_transitions

from services.bootstrap import build_registry
from services.kernel.machines import allowed_from, machine_on
from services.kernel.registry import current, subject_kind
from statemachines.base import Refusal
from store.models import Case


@pytest.fixture(scope="module", autouse=True)
def registry():
    build_registry()


def _callback_names(machine_class) -> set[str]:
    """Every name a machine class resolves its callbacks by (conventions such as on_enter_x included)."""
    specs = [machine_class._specs] + [v._specs for v in iterate_states_and_transitions(machine_class.states)]
    return {name for spec_list in specs for spec in spec_list if isinstance(spec.func, str)
            for name in re.findall(r"[A-Za-z_]\w*", spec.func)}


def _case(state: str, **facts) -> Case:
    return Case(id=1, court_id=1, division_id=1, case_number="（2025）辽0102民初1号", procedure="civil-first-ordinary",
                state=state, filed_on=date(2025, 3, 3), **facts)


def test_no_row_offers_a_callback_of_its_machine():
    """A reused machine resolves its callbacks on itself only, so a row must not carry one (it would be skipped)."""
    for kind in current().subjects.values():
        row_attributes = set(dir(kind.model))
        for machine_class in kind.machine_classes:
            assert not (_callback_names(machine_class) & row_attributes), (kind.name, machine_class.__name__)


def test_each_row_moves_by_its_own_state():
    kind = subject_kind("cases")
    filed, in_trial = _case("filed"), _case("in_trial")
    with machine_on(kind, filed) as machine:
        assert "assign" in {e.id for e in machine.allowed_events}
        machine.send("assign")
    assert filed.state == "assigned"
    with machine_on(kind, in_trial) as again:
        assert again is machine  # the same instance, now on the other row
        assert "assign" not in {e.id for e in again.allowed_events}
        again.send("suspend")
    assert (filed.state, in_trial.state) == ("assigned", "suspended")


def test_a_refusal_leaves_the_machine_fit_for_the_next_row():
    kind = subject_kind("cases")
    adjourned_twice, first = _case("in_trial", adjournments=2), _case("in_trial", adjournments=0)
    with machine_on(kind, adjourned_twice) as machine, pytest.raises(Refusal):
        machine.send("adjourn_hearing", max_adjournments=2)
    with machine_on(kind, first) as again:
        assert again is machine
        again.send("adjourn_hearing", max_adjournments=2)  # the validator reads this row's count
    assert first.state == "in_trial"


def test_nested_borrowers_hold_different_machines():
    kind = subject_kind("cases")
    with machine_on(kind, _case("filed")) as outer, machine_on(kind, _case("assigned")) as inner:
        assert outer is not inner
        assert (outer.current_state.id, inner.current_state.id) == ("filed", "assigned")


def test_a_machine_that_reached_a_final_state_is_not_lent_again():
    kind = subject_kind("cases")
    with machine_on(kind, _case("filed")) as machine:
        machine.send("transfer")
        assert machine.is_terminated
    with machine_on(kind, _case("filed")) as fresh:
        assert fresh is not machine
        assert "assign" in {e.id for e in fresh.allowed_events}


def test_the_events_a_state_allows_are_the_machines_own():
    """allowed_from reads the class: for every lifecycle and state, what a machine built on such a row lists."""
    for kind in current().subjects.values():
        for machine_class in kind.machine_classes:
            for state in machine_class.states_map:
                row = kind.model(state=state, **({"path": "mandatory"} if kind.variants and
                                                 machine_class is kind.variants[0] else {"path": "natural"}
                                                 if kind.variants else {}))
                assert kind.machine_class(row) is machine_class
                built = machine_class(model=row, state_field="state")
                assert allowed_from(kind, row) == tuple(dict.fromkeys(e.id for e in built.allowed_events)), \
                    (kind.name, state)
