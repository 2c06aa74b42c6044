"""Petitions, 信访 (statemachines/petition.py) on a plain row."""
from statemachines.petition import PetitionMachine
from tests.unit.machine_table import Refused, Step, Table, actor, data, machine_tests

NAMED_JUDGE, HANDLER = 7, 8
ANSWER = data(answer="经核查，承办法官已依法处理，现予答复。")

STEPS = [
    Step("registered", "assign", "assigned", facts={"data": data(handler_user_id=HANDLER)}),
    Step("registered", "assign", "assigned", facts={"data": data(handler_user_id=None)}),
    Step("assigned", "assign", "assigned", facts={"data": data(handler_user_id=HANDLER)}),
    Step("assigned", "answer", "answered", facts={"data": ANSWER, "actor": actor(HANDLER)}),
    Step("answered", "close", "closed"),
    Step("registered", "merge", "merged", facts={"data": data(into_petition_id=1)}),
    Step("assigned", "merge", "merged", facts={"data": data(into_petition_id=1)}),
]

REFUSALS = [
    *[Refused("handler_not_named", state, "assign", r"not handled by that person \(回避\)",
              facts={"data": data(handler_user_id=NAMED_JUDGE)}) for state in ("registered", "assigned")],
    Refused("answerer_not_named", "assigned", "answer", r"about your own conduct is answered by someone else \(回避\)",
            facts={"data": ANSWER, "actor": actor(NAMED_JUDGE)}),
    Refused("has_answer", "assigned", "answer", r"an answer needs its text \(答复意见\)",
            facts={"data": data(answer="   "), "actor": actor(HANDLER)}),
    *[Refused("not_into_itself", state, "merge", "a petition cannot be merged into itself",
              facts={"data": data(into_petition_id=3)}) for state in ("registered", "assigned")],
]

TABLES = [Table(PetitionMachine, {"id": 3, "named_user_id": NAMED_JUDGE}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
