"""专业法官会议 and 审判委员会 (SPEC §2).

Meeting: referred → concluded (the majority view computed from the members' opinions) →
adopted | not_adopted. The panel may depart from the unanimous or majority view only with
a recorded reason (the division chief is then alerted).

Committee: proposed → referred → decided, or proposed → declined. The decision binds the
panel: there is no event by which the panel departs from it.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class MeetingMachine(StateMachine):
    referred = State(initial=True)
    concluded = State()
    adopted = State(final=True)
    not_adopted = State(final=True)

    give_opinion = referred.to.itself(internal=True, validators="is_member_without_opinion")
    conclude = referred.to(concluded, validators="enough_opinions")
    adopt = concluded.to(adopted, validators="has_majority")
    not_adopt = concluded.to(not_adopted, validators="has_reason")

    def is_member_without_opinion(self, actor=None, opined: frozenset = frozenset(), **_):
        if actor is None or actor.user_id not in self.model.member_ids:
            raise Refusal("refused.machine.only_member_professional_judges_meeting_gives")
        if actor.user_id in opined:
            raise Refusal("refused.machine.you_have_already_given_your_opinion")

    def enough_opinions(self, opinions: int = 0, min_opinions: int = 1, **_):
        needed = min(min_opinions, len(self.model.member_ids))
        if opinions < needed:
            raise Refusal("refused.machine.meeting_needs_at_least_opinions_before", needed=needed, opinions=opinions)

    def has_majority(self, **_):
        if not self.model.majority_view:
            raise Refusal("refused.machine.meeting_reached_no_majority_view_adopt")

    def has_reason(self, data=None, **_):
        if not (data and len(data.reason.strip()) >= 2):
            raise Refusal("refused.machine.panel_must_record_why_it_does")


class CommitteeMachine(StateMachine):
    proposed = State(initial=True)
    referred = State()
    decided = State(final=True)
    declined = State(final=True)

    put_on_agenda = proposed.to(referred)
    decline = proposed.to(declined)
    record_decision = referred.to(decided, validators="withheld_needs_ground")

    def withheld_needs_ground(self, data=None, **_):
        if data is not None and not data.publish and len(data.withheld_ground.strip()) < 2:
            raise Refusal("refused.machine.committee_decision_not_published_with_judgment")
