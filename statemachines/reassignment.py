"""Changing a case's lead judge (变更承办法官), SPEC §1.2: only by a request with a reason,
approved by the role the policy names for that reason. requested → approved | refused | withdrawn.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class ReassignmentMachine(StateMachine):
    requested = State(initial=True)
    approved = State(final=True)
    refused = State(final=True)
    withdrawn = State(final=True)

    approve = requested.to(approved, validators="not_own_request")
    refuse = requested.to(refused, validators="not_own_request")
    withdraw = requested.to(withdrawn)

    def not_own_request(self, actor=None, **_):
        if actor is not None and actor.user_id == self.model.requested_by:
            raise Refusal("refused.machine.you_cannot_decide_your_own_reassignment")
