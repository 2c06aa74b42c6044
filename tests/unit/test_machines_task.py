"""Inbox tasks that are a step of their own (statemachines/task.py) on a plain row."""
from statemachines.task import TaskMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

NOTE_REQUIRED = {"context": {"note_required": True}}
OFFERED = {"context": {}, "assignee_role": "judge", "assignee_user_id": None}
CLAIMED = {"context": {}, "assignee_role": "judge", "assignee_user_id": 7}
PERSONAL = {"context": {}, "assignee_role": None, "assignee_user_id": 7}

STEPS = [
    Step("open", "complete", "done", facts={"data": data(note="")}),
    Step("open", "complete", "done", model=NOTE_REQUIRED, facts={"data": data(note="已阅，按期整改")}),
    Step("open", "cancel", "cancelled", facts={"data": data(reason="重复派发")}),
    Step("open", "claim", "open", model=OFFERED),
    Step("open", "unclaim", "open", model=CLAIMED),
    Step("open", "assign", "open", facts={"data": data(reason="承办法官休假")}),
    Step("open", "prioritise", "open"),
]

REFUSALS = [
    Refused("needs_a_note_when_required", "open", "complete", "this task needs a note when it is completed",
            model=NOTE_REQUIRED, facts={"data": data(note="")}),
    Refused("needs_a_note_when_required", "open", "complete", "needs a note", model=NOTE_REQUIRED),
    Refused("needs_a_reason", "open", "cancel", "a reason is required to cancel a task",
            facts={"data": data(reason="")}),
    Refused("needs_a_reason", "open", "cancel", "a reason is required"),
    Refused("offered_and_unclaimed", "open", "claim", "addressed to a person, not offered to a role", model=PERSONAL),
    Refused("offered_and_unclaimed", "open", "claim", "already been claimed", model=CLAIMED),
    Refused("claimed_from_a_role", "open", "unclaim", "only a task claimed from a role", model=OFFERED),
    Refused("claimed_from_a_role", "open", "unclaim", "only a task claimed from a role", model=PERSONAL),
    Refused("needs_a_reason_to_move", "open", "assign", "a reason is required to assign a task",
            facts={"data": data(reason="")}),
]

TABLES = [Table(TaskMachine, {"context": {}}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
