"""An extension of the statutory time limit (延长审限), SPEC §1.1.

requested → approved | refused | withdrawn. A request filed fewer days before expiry
than the policy requires (15), or decided later than its decide-by date (5 days before
expiry), can be approved only with an override reason recorded by the approver.
Nobody approves their own request.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class ExtensionMachine(StateMachine):
    requested = State(initial=True)
    approved = State(final=True)
    refused = State(final=True)
    withdrawn = State(final=True)

    approve = requested.to(approved, validators=["not_own_request", "late_needs_override", "timely_or_override"])
    refuse = requested.to(refused, validators="not_own_request")
    withdraw = requested.to(withdrawn)

    def not_own_request(self, actor=None, **_):
        if actor is not None and actor.user_id == self.model.requested_by:
            raise Refusal("refused.machine.you_cannot_decide_your_own_extension")

    def late_needs_override(self, data=None, file_days: int = 15, **_):
        if self.model.late and not getattr(data, "override_reason", ""):
            raise Refusal("refused.machine.request_was_filed_later_than_rule", file_days=file_days)

    def timely_or_override(self, today=None, data=None, decide_days: int = 5, **_):
        decide_by = self.model.decide_by
        if decide_by and today and today > decide_by and not getattr(data, "override_reason", ""):
            raise Refusal("refused.machine.decision_was_due_approving_now_needs", decide_by=decide_by, decide_days=decide_days)
