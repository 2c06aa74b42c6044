"""专业法官会议 and 审判委员会 (statemachines/meeting.py) on plain rows."""
from statemachines.meeting import CommitteeMachine, MeetingMachine
from tests.unit.machine_table import Refused, Step, Table, actor, data, machine_tests

MEMBER, OUTSIDER = actor(1), actor(9)

MEETING = Table(MeetingMachine, {"member_ids": {1, 2, 3}, "majority_view": "维持原判"}, [
    Step("referred", "give_opinion", "referred", facts={"actor": MEMBER, "opined": frozenset({2})}),
    Step("referred", "conclude", "concluded", facts={"opinions": 2, "min_opinions": 2}),
    Step("referred", "conclude", "concluded", model={"member_ids": {1}}, facts={"opinions": 1, "min_opinions": 3}),
    Step("concluded", "adopt", "adopted"),
    Step("concluded", "not_adopt", "not_adopted", facts={"data": data(reason="新证据改变了事实认定")}),
], [
    Refused("is_member_without_opinion", "referred", "give_opinion",
            "only a member of this professional judges' meeting gives an opinion", facts={"actor": OUTSIDER}),
    Refused("is_member_without_opinion", "referred", "give_opinion", "only a member"),
    Refused("is_member_without_opinion", "referred", "give_opinion",
            "you have already given your opinion at this meeting",
            facts={"actor": MEMBER, "opined": frozenset({1})}),
    Refused("enough_opinions", "referred", "conclude",
            r"the meeting needs at least 2 opinions before it concludes \(1 given\)",
            facts={"opinions": 1, "min_opinions": 2}),
    Refused("has_majority", "concluded", "adopt", "the meeting reached no majority view to adopt",
            model={"majority_view": ""}),
    Refused("has_reason", "concluded", "not_adopt", "the panel must record why it does not adopt",
            facts={"data": data(reason=" 否 ")}),
    Refused("has_reason", "concluded", "not_adopt", "the panel must record why"),
])

COMMITTEE = Table(CommitteeMachine, {}, [
    Step("proposed", "put_on_agenda", "referred"),
    Step("proposed", "decline", "declined"),
    Step("referred", "record_decision", "decided", facts={"data": data(publish=True, withheld_ground="")}),
    Step("referred", "record_decision", "decided",
         facts={"data": data(publish=False, withheld_ground="涉及国家秘密，依保密法不予公开")}),
], [
    Refused("withheld_needs_ground", "referred", "record_decision",
            "a committee decision not published with the judgment needs the legal ground",
            facts={"data": data(publish=False, withheld_ground=" 无 ")}),
])

TABLES = [MEETING, COMMITTEE]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
