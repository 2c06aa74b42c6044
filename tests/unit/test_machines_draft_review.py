"""阅核 of draft documents (statemachines/draft_review.py) on a plain row."""
from statemachines.draft_review import DraftReviewMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

CHAIN = ["division_chief", "vice_president"]

STEPS = [
    Step("in_review", "approve", "in_review"),
    Step("in_review", "approve", "approved", model={"step": 1}),
    Step("in_review", "approve", "approved", model={"chain": ["division_chief"]}),
    Step("in_review", "suggest_reconsideration", "returned", facts={"data": data(note="量刑偏重，建议复议")}),
    Step("in_review", "refer_to_meeting", "returned"),
    Step("in_review", "propose_committee", "returned"),
    Step("returned", "resubmit", "in_review"),
]

REFUSALS = [
    Refused("has_note", "in_review", "suggest_reconsideration",
            "a suggestion to reconsider needs the reviewer's reasons", facts={"data": data(note=" 否 ")}),
    Refused("has_note", "in_review", "suggest_reconsideration", "needs the reviewer's reasons"),
]

TABLES = [Table(DraftReviewMachine, {"chain": CHAIN, "step": 0}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
