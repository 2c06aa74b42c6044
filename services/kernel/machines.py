"""State machines borrowed for one row, built once and reused; the events a state allows, read off the class.

Building a python-statemachine instance resolves every callback of every state and transition by name
(about 90 for a case): a fifth of a simple command's CPU. The machine keeps no state of its own between
events (python-statemachine reads the state from the model at each step), so a built machine can serve
row after row: it is built on a `RowSlot`, and a borrower points the slot at its row for the time it
holds the machine. Each machine class keeps its idle instances in a list; borrowing pops one (or builds
one) and giving back appends it, so threads and nested borrowers never share an instance.
"""
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from services.kernel.subjects import SubjectKind

_IDLE: defaultdict[type, list] = defaultdict(list)


class RowSlot:
    """The model a reused machine is built on: reads and writes go to the row it is pointed at.

    It lists no attributes of its own (`dir`), so the machine resolves no callback on the row: the
    lifecycles keep their rules on the machines (tests/unit/test_machine_reuse.py checks the rows offer
    none of the machines' callback names)."""

    __slots__ = ("row",)

    def __init__(self, row: Any = None):
        object.__setattr__(self, "row", row)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "row"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Writes a changed value only: the machine writes the state back on every transition, and the same
        state written again would leave the row dirty for the ORM's flush, which then finds nothing to update."""
        row = object.__getattribute__(self, "row")
        if getattr(row, name) != value:
            setattr(row, name, value)


@contextmanager
def machine_on(kind: SubjectKind, row) -> Iterator[Any]:
    """The kind's machine for `row`, in the row's state; what the machine does moves the row."""
    machine_class = kind.machine_class(row)
    idle = _IDLE[machine_class]
    try:
        machine = idle.pop()
        object.__setattr__(machine.model, "row", row)
    except IndexError:
        machine = machine_class(model=RowSlot(row), state_field="state")
    slot = machine.model
    try:
        yield machine
    finally:
        object.__setattr__(slot, "row", None)
        if not machine.is_terminated:  # a machine that reached a final state takes no more events
            idle.append(machine)


def allowed_from(kind: SubjectKind, row) -> tuple[str, ...]:
    """The events the row's machine allows from its state: python-statemachine's `allowed_events`, which are
    the transitions out of the state before any guard, the same for every row in that state."""
    return _events_from(kind.machine_class(row), row.state)


@cache
def _events_from(machine_class: type, state: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(event.id for event in machine_class.states_map[state].transitions.unique_events))
