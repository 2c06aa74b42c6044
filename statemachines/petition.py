"""A petition (信访), SPEC §10: 有信必录、有录必全、有信必复.

registered → assigned (to the division that handles it, and a handler) → answered (the
answer and how it was delivered) → closed; or merged into an earlier petition on the same
matter while it is still open. A petition is reassigned while it waits for its answer.
A handler never answers a petition about their own conduct, and an answer is never blank.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class PetitionMachine(StateMachine):
    registered = State(initial=True)
    assigned = State()
    answered = State()
    closed = State(final=True)
    merged = State(final=True)

    assign = registered.to(assigned, validators="handler_not_named") | assigned.to.itself(
        internal=True, validators="handler_not_named")
    answer = assigned.to(answered, validators=["has_answer", "answerer_not_named"])
    close = answered.to(closed)
    merge = registered.to(merged, validators="not_into_itself") | assigned.to(merged, validators="not_into_itself")

    def handler_not_named(self, data=None, **_):
        handler = getattr(data, "handler_user_id", None)
        if handler is not None and handler == self.model.named_user_id:
            raise Refusal("refused.machine.petition_about_person_conduct_not_handled")

    def answerer_not_named(self, actor=None, **_):
        if actor is not None and actor.user_id is not None and actor.user_id == self.model.named_user_id:
            raise Refusal("refused.machine.petition_about_your_own_conduct_answered")

    def has_answer(self, data=None, **_):
        if not (data and getattr(data, "answer", "").strip()):
            raise Refusal("refused.machine.answer_needs_text")

    def not_into_itself(self, data=None, **_):
        if data is not None and getattr(data, "into_petition_id", None) == self.model.id:
            raise Refusal("refused.machine.petition_cannot_be_merged_into_itself")
