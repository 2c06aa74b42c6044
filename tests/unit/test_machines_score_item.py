"""A bonus or deduction item (statemachines/score_item.py) on a plain row."""
from statemachines.score_item import ScoreItemMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

NOTE = {"data": data(note="证据属实，符合加减分规定")}
OBJECTION = {"data": data(objection="该投诉已查明与本人无关"), "counted": False}

STEPS = [
    Step("entered", "approve", "approved"),
    Step("entered", "reject", "rejected", facts=NOTE),
    Step("approved", "raise_objection", "objected", facts=OBJECTION),
    Step("objected", "dismiss_objection", "approved", facts=NOTE),
    Step("objected", "uphold_objection", "annulled", facts=NOTE),
]

REFUSALS = [
    Refused("needs_a_note", "entered", "reject", "the decision needs its reasons", facts={"data": data(note=" ")}),
    Refused("needs_a_note", "objected", "dismiss_objection", "needs its reasons", facts={"data": data(note="")}),
    Refused("once_only", "approved", "raise_objection", "objected to once only", {"objection": "第一次异议"},
            OBJECTION),
    Refused("not_yet_counted", "approved", "raise_objection", "2025-03 has been assessed with this item",
            facts={**OBJECTION, "counted": True}),
    Refused("needs_an_objection", "approved", "raise_objection", "an objection needs its reasons",
            facts={"data": data(objection="  "), "counted": False}),
]

TABLES = [Table(ScoreItemMachine, {"objection": "", "counts_in": "2025-03"}, STEPS, REFUSALS)]

(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
