"""阅核, review of draft documents (SPEC §2): in_review → approved, or returned to the panel.

A draft climbs the policy's chain one reviewer at a time. A reviewer approves, suggests
the panel reconsider (建议复议), refers to the professional judges' meeting, or proposes
the adjudication committee; each of the last three returns the draft to the panel. Only
the panel resubmits, and only the panel's resubmission may change the outcome.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class DraftReviewMachine(StateMachine):
    in_review = State(initial=True)
    approved = State(final=True)
    returned = State()

    approve = in_review.to(approved, cond="at_last_step") | in_review.to.itself(internal=True, unless="at_last_step")
    suggest_reconsideration = in_review.to(returned, validators="has_note")
    refer_to_meeting = in_review.to(returned)
    propose_committee = in_review.to(returned)
    resubmit = returned.to(in_review)

    def at_last_step(self, **_):
        return self.model.step >= len(self.model.chain) - 1

    def has_note(self, data=None, **_):
        if not (data and len(data.note.strip()) >= 2):
            raise Refusal("refused.machine.suggestion_reconsider_needs_reviewer_reasons")
