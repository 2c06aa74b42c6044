"""A bonus or deduction item (加分、减分, SPEC §5) on a person's assessment.

entered → approved by the next level (or rejected, with a reason); an approved item counts in the
month it came to stand. The person may object once while it has not yet been counted: objected →
the assessment committee dismisses the objection (approved again, counting in the month of the
decision) or upholds it (annulled, never counted).
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class ScoreItemMachine(StateMachine):
    entered = State(initial=True)
    approved = State()
    objected = State()
    rejected = State(final=True)
    annulled = State(final=True)

    approve = entered.to(approved)
    reject = entered.to(rejected, validators="needs_a_note")
    raise_objection = approved.to(objected, validators=["once_only", "not_yet_counted", "needs_an_objection"])
    dismiss_objection = objected.to(approved, validators="needs_a_note")
    uphold_objection = objected.to(annulled, validators="needs_a_note")

    def needs_a_note(self, data=None, **_):
        if not (data and data.note.strip()):
            raise Refusal("refused.machine.decision_needs_reasons")

    def once_only(self, **_):
        if self.model.objection:
            raise Refusal("refused.machine.objected_once_only")

    def not_yet_counted(self, counted: bool = False, **_):
        if counted:
            raise Refusal("refused.machine.month_assessed_too_late_to_object", month=self.model.counts_in)

    def needs_an_objection(self, data=None, **_):
        if not (data and data.objection.strip()):
            raise Refusal("refused.machine.objection_needs_reasons")
