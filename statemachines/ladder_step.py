"""A rung of the assessment escalation ladder (SPEC §5) once it is opened for a judge.

- explanation: open → filed (the judge's written explanation with improvement measures)
  → accepted by the division chief, or returned → open to be filed again;
- interview (约谈) and admonishment (诫勉谈话): open → scheduled (date, place) → done with
  the minutes recorded;
- committee: open → done with the committee's outcome and reasons;
- observation: open → observing → passed (the judge met the task) or failed (the exit opened);
- mandatory exit: opened through the quota-exit work at once (exit_opened).
Each event belongs to one kind of step; firing it on another kind is refused.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal

EVENT_ACTIONS = {
    "file_explanation": "explanation", "accept": "explanation", "return_for_revision": "explanation",
    "schedule": ("interview", "admonishment"), "record_minutes": ("interview", "admonishment"),
    "decide": "committee", "start_observation": "observation",
}


class LadderStepMachine(StateMachine):
    open = State(initial=True)
    filed = State()
    scheduled = State()
    observing = State()
    done = State(final=True)
    passed = State(final=True)
    failed = State(final=True)
    exit_opened = State(final=True)

    file_explanation = open.to(filed, validators=["of_this_kind", "explanation_and_measures"])
    accept = filed.to(done, validators="of_this_kind")
    return_for_revision = filed.to(open, validators=["of_this_kind", "needs_a_reason"])
    schedule = open.to(scheduled, validators=["of_this_kind", "a_date_not_in_the_past"])
    record_minutes = scheduled.to(done, validators=["of_this_kind", "needs_minutes"])
    decide = open.to(done, validators=["of_this_kind", "needs_minutes"])
    start_observation = open.to(observing, validators="of_this_kind")
    pass_observation = observing.to(passed) | open.to(passed, cond="is_observation")
    fail_observation = observing.to(failed) | open.to(failed, cond="is_observation")
    open_exit = open.to(exit_opened, cond="is_exit")

    def is_observation(self):
        return self.model.action == "observation"

    def is_exit(self):
        return self.model.action == "mandatory_exit"

    def of_this_kind(self, event: str = "", **_):
        allowed = EVENT_ACTIONS[event]
        if self.model.action not in (allowed if isinstance(allowed, tuple) else (allowed,)):
            raise Refusal("refused.machine.does_not_apply_step", event=event, action=self.model.action)

    def explanation_and_measures(self, data=None, **_):
        if not (data and data.explanation.strip() and data.measures.strip()):
            raise Refusal("refused.machine.written_explanation_needs_both_reasons_improvement")

    def needs_a_reason(self, data=None, **_):
        if not (data and data.reason.strip()):
            raise Refusal("refused.machine.returning_explanation_needs_reason")

    def a_date_not_in_the_past(self, data=None, today=None, **_):
        if data and today and data.on < today:
            raise Refusal("refused.machine.talk_cannot_be_scheduled_past", on=data.on, today=today)

    def needs_minutes(self, data=None, **_):
        if not (data and data.minutes.strip()):
            raise Refusal("refused.machine.minutes_must_be_recorded")
