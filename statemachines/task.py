"""A task in the inbox: open until its assignee completes it or a supervisor cancels it.

Tasks that stand for a step of another lifecycle (approve an extension, …) are finished by
that lifecycle's event; this machine serves the tasks that are a step of their own
(acknowledge a notice, review a list, record minutes).
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class TaskMachine(StateMachine):
    open = State(initial=True)
    done = State(final=True)
    cancelled = State(final=True)

    complete = open.to(done, validators="needs_a_note_when_required")
    cancel = open.to(cancelled, validators="needs_a_reason")

    def needs_a_note_when_required(self, data=None, **_):
        if self.model.context.get("note_required") and not (data and data.note):
            raise Refusal("refused.machine.task_needs_note_when_it_completed")

    def needs_a_reason(self, data=None, **_):
        if not (data and data.reason):
            raise Refusal("refused.machine.reason_required_cancel_task")
