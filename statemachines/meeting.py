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
            raise Refusal("only a member of this professional judges' meeting gives an opinion")
        if actor.user_id in opined:
            raise Refusal("you have already given your opinion at this meeting")

    def enough_opinions(self, opinions: int = 0, min_opinions: int = 1, **_):
        needed = min(min_opinions, len(self.model.member_ids))
        if opinions < needed:
            raise Refusal(f"the meeting needs at least {needed} opinions before it concludes ({opinions} given)")

    def has_majority(self, **_):
        if not self.model.majority_view:
            raise Refusal("the meeting reached no majority view to adopt; record the panel's own view and reason")

    def has_reason(self, data=None, **_):
        if not (data and len(data.reason.strip()) >= 2):
            raise Refusal("the panel must record why it does not adopt the meeting's view")


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
            raise Refusal("a committee decision not published with the judgment needs the legal ground")
