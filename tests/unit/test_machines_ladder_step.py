"""A rung of the assessment ladder (statemachines/ladder_step.py) on a plain row."""
from datetime import date

import pytest

from statemachines.ladder_step import EVENT_ACTIONS, LadderStepMachine
from tests.unit.machine_table import Refused, Step, Table, assert_not_allowed, data, machine_tests

TODAY = date(2025, 8, 1)
EXPLANATION = {"data": data(explanation="结案率偏低系因长期未结案件集中", measures="每周清理一次长期未结案件")}
MINUTES = {"data": data(minutes="谈话记录：本人认识到问题，承诺限期整改")}
ON_MONDAY = {"data": data(on=date(2025, 8, 4)), "today": TODAY}
STEP_OF = {"file_explanation": ("open", EXPLANATION), "accept": ("filed", {}),
           "return_for_revision": ("filed", {"data": data(reason="整改措施不具体")}), "schedule": ("open", ON_MONDAY),
           "record_minutes": ("scheduled", MINUTES), "decide": ("open", MINUTES), "start_observation": ("open", {})}


def _kind(action: str) -> dict:
    return {"action": action}


STEPS = [
    Step("open", "file_explanation", "filed", _kind("explanation"), EXPLANATION),
    Step("filed", "accept", "done", _kind("explanation")),
    Step("filed", "return_for_revision", "open", _kind("explanation"), STEP_OF["return_for_revision"][1]),
    *[Step("open", "schedule", "scheduled", _kind(talk), ON_MONDAY) for talk in ("interview", "admonishment")],
    Step("open", "schedule", "scheduled", _kind("interview"), {"data": data(on=TODAY), "today": TODAY}),
    *[Step("scheduled", "record_minutes", "done", _kind(talk), MINUTES) for talk in ("interview", "admonishment")],
    Step("open", "decide", "done", _kind("committee"), MINUTES),
    Step("open", "start_observation", "observing", _kind("observation")),
    Step("observing", "pass_observation", "passed", _kind("observation")),
    Step("observing", "fail_observation", "failed", _kind("observation")),
    Step("open", "pass_observation", "passed", _kind("observation")),
    Step("open", "fail_observation", "failed", _kind("observation")),
    Step("open", "open_exit", "exit_opened", _kind("mandatory_exit")),
]


def _of_another_kind(event: str) -> Refused:
    """The event fired on a step of a kind it does not belong to."""
    state, facts = STEP_OF[event]
    wrong = "committee" if event != "decide" else "explanation"
    return Refused("of_this_kind", state, event, f"'{event}' does not apply to a {wrong} step", _kind(wrong), facts)


REFUSALS = [
    *[_of_another_kind(event) for event in EVENT_ACTIONS],
    Refused("explanation_and_measures", "open", "file_explanation",
            "a written explanation needs both the reasons and the improvement measures", _kind("explanation"),
            {"data": data(explanation="工作量大", measures="  ")}),
    Refused("needs_a_reason", "filed", "return_for_revision", "returning an explanation needs a reason",
            _kind("explanation"), {"data": data(reason="")}),
    Refused("a_date_not_in_the_past", "open", "schedule",
            r"the talk cannot be scheduled in the past \(2025-07-31 is before 2025-08-01\)", _kind("admonishment"),
            {"data": data(on=date(2025, 7, 31)), "today": TODAY}),
    Refused("needs_minutes", "scheduled", "record_minutes", r"the minutes \(or the committee's reasons\) must be",
            _kind("interview"), {"data": data(minutes=" ")}),
    Refused("needs_minutes", "open", "decide", "must be recorded", _kind("committee")),
]

TABLES = [Table(LadderStepMachine, {"action": "explanation"}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)


@pytest.mark.parametrize("event, action", [("pass_observation", "interview"), ("fail_observation", "explanation"),
                                           ("open_exit", "observation"), ("open_exit", "committee")])
def test_an_observation_ends_and_an_exit_opens_only_on_a_step_of_that_kind(event, action):
    assert_not_allowed(TABLES[0], "open", event, action=action)


def test_every_event_belongs_to_a_kind_of_step():
    assert set(EVENT_ACTIONS) | {"pass_observation", "fail_observation", "open_exit"} == {
        e.id for e in LadderStepMachine.events}
