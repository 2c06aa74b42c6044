"""A task in the inbox: open until its assignee completes it or a supervisor cancels it.

Tasks that stand for a step of another lifecycle (approve an extension, …) are finished by
that lifecycle's event; this machine serves the tasks that are a step of their own
(acknowledge a notice, review a list, record minutes). While a task is open it may be claimed
from the role it is offered to and given back, assigned or reassigned to a named person, and
its priority set; a finished task is no one's to move.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal

PRIORITIES = ("normal", "urgent")


class TaskMachine(StateMachine):
    open = State(initial=True)
    done = State(final=True)
    cancelled = State(final=True)

    complete = open.to(done, validators="needs_a_note_when_required")
    cancel = open.to(cancelled, validators="needs_a_reason")
    claim = open.to.itself(internal=True, validators="offered_and_unclaimed")
    unclaim = open.to.itself(internal=True, validators="claimed_from_a_role")
    assign = open.to.itself(internal=True, validators="needs_a_reason_to_move")
    prioritise = open.to.itself(internal=True)

    def needs_a_note_when_required(self, data=None, **_):
        if self.model.context.get("note_required") and not (data and data.note):
            raise Refusal("refused.machine.task_needs_note_when_it_completed")

    def needs_a_reason(self, data=None, **_):
        if not (data and data.reason):
            raise Refusal("refused.machine.reason_required_cancel_task")

    def needs_a_reason_to_move(self, data=None, **_):
        if not (data and data.reason):
            raise Refusal("refused.machine.reason_required_assign_task")

    def offered_and_unclaimed(self, **_):
        if self.model.assignee_role is None:
            raise Refusal("refused.machine.task_addressed_to_person_not_role")
        if self.model.assignee_user_id is not None:
            raise Refusal("refused.machine.task_already_claimed")

    def claimed_from_a_role(self, **_):
        if self.model.assignee_role is None or self.model.assignee_user_id is None:
            raise Refusal("refused.machine.only_claimed_task_given_back")


REASSIGNABLE = frozenset(s.id for s in TaskMachine.states if any(t.match("assign") for t in s.transitions))
"""The states a task may be moved from to another person (a bulk reassignment or a delegation moves
only these)."""
