"""权责清单: the powers and duties lists are generated from the machines, the event roles and the policy files,
so they cannot drift: a machine that gains an event shows it on the list of every role the event is granted."""
from dataclasses import replace

import pytest
from statemachine import State, StateMachine

import i18n

from services.integrity.powers import role_list
from services.kernel.powers import event_powers, lacking
from services.kernel.registry import current
from services.kernel.subjects import EventSpec
from statemachines.diagrams import MACHINES

CHIEF = "division_chief"


def events_granted(role: str) -> set[str]:
    """Read straight from every subject's machine classes and event specs, not through the list."""
    return {f"{kind.name}.{event.id}" for kind in current().subjects.values() for machine in kind.machine_classes
            for event in machine.events if event.id in kind.events and role in kind.events[event.id].roles}


def test_the_chiefs_list_shows_every_event_the_chief_may_fire_and_nothing_else():
    listed = {p["item"] for p in role_list(CHIEF)["events"]}
    assert listed == events_granted(CHIEF)
    assert {"reassignments.approve", "supervisions.read_file", "drafts.approve", "ladder_steps.schedule"} <= listed
    assert "cases.decide" not in listed  # the panel decides; a chief supervises


SYSTEM_EVENTS = {"supervisions.end", "ladder_steps.pass_observation", "ladder_steps.fail_observation",
                 "ladder_steps.open_exit"}
"""Events the services fire themselves (supervision ends with the case; an observation period ends by the
monitor): no one's power, so on no list."""


def test_every_machine_is_read_by_the_lists_and_every_event_is_someones_or_the_systems():
    machines_read = {m for kind in current().subjects.values() for m in kind.machine_classes}
    assert {machine for machine, _, _ in MACHINES.values()} == machines_read
    listed = {p.item for p in event_powers(current().subjects, current().owners)}
    every = {f"{kind.name}.{event.id}" for kind in current().subjects.values() for machine in kind.machine_classes
             for event in machine.events}
    assert every - listed == SYSTEM_EVENTS  # a new event with no roles fails here until it is granted or named


def test_a_machine_that_gains_an_event_shows_it_on_the_chiefs_list(monkeypatch):
    registry = current()
    kind = registry.subjects["reassignments"]

    class Gained(StateMachine):  # a reassignment machine with one more event a chief fires; its own states, so
        requested = State(initial=True)  # the real machine's `requested` gains no transition for later tests
        hold = State(final=True)
        put_on_hold = requested.to(hold)

    spec = EventSpec("put_on_hold", frozenset({CHIEF}))
    monkeypatch.setitem(registry.subjects, kind.name,
                        replace(kind, machine=Gained, events={**kind.events, "put_on_hold": spec}))
    listed = {p["item"]: p for p in role_list(CHIEF)["events"]}
    assert "reassignments.put_on_hold" in listed and listed["reassignments.put_on_hold"]["states"] == ["requested"]
    assert set(listed) == events_granted(CHIEF)


def test_an_item_says_in_which_lifecycle_states_and_under_which_conditions():
    listed = {p["item"]: p for p in role_list(CHIEF)["events"]}
    approve = listed["reassignments.approve"]
    assert (approve["lifecycle"], approve["states"], approve["subject"], approve["event"]) == (
        "cases", ["requested"], "reassignments", "approve")
    assert i18n.label("event", approve["event"], "zh_CN", within=approve["subject"]) == "批准"
    assert approve["conditions"]  # the validators and the `may` rule that can still refuse it
    assert "reviews.assign" not in listed  # quality reviews are assigned by the trial office, not the chief


def test_policy_fields_naming_roles_are_on_the_list_and_duties_come_with_the_period_in_force():
    chief, judge = role_list(CHIEF), role_list("judge")
    assert "policy:supervision.supervisor_roles" in {p["item"] for p in chief["policy"]}
    duties = {d["item"]: d for d in judge["duties"]}
    assert duties["supervision.report.days"]["period"] == 3  # report a four-type case within 3 days
    assert duties["petitions.answer.period"]["period"] == 15  # answer a petition within 15 days
    assert duties["integrity.monthly_report.due_day"] == {
        "item": "integrity.monthly_report.due_day", "lifecycle": "integrity", "roles": ["judge"], "period": 5,
        "unit": "day_of_next_month", "task_kind": ""}
    assert i18n.label("duty", "integrity.monthly_report.due_day", "zh_CN") == "报送上月过问干预情况（或零报告）"
    assert "monitoring.chase.kinds.answer_petition.escalation_due_days" in {d["item"] for d in role_list("president")["duties"]}


def test_a_leaders_duties_include_acting_on_what_the_chase_escalates_to_them():
    chief = {d["item"]: d for d in role_list(CHIEF)["duties"]}
    report = chief["monitoring.chase.kinds.interference_monthly_report.escalation_due_days"]
    assert (report["roles"], report["period"]) == (["division_chief"], 3)
    assert "monitoring.chase.default.escalation_due_days" in chief
    assert not any(d["item"].startswith("monitoring.chase") for d in role_list("judge")["duties"])


def test_a_refusal_names_the_list_item_the_actor_lacks():
    kind = current().subjects["reassignments"]
    refusal = lacking(kind, kind.events["approve"], {"judge"})
    assert refusal.text("en") == (
        "not on your powers list (权责清单): item reassignments.approve «Approve» is on the list of "
        "division chief, president, vice president; your roles here: judge")
    assert refusal.text("zh_CN") == ("不在您的权责清单内：事项 reassignments.approve「批准」属于庭长、院长、副院长的权责清单；"
                                     "您在此处的角色：法官")


@pytest.mark.parametrize("role", ["judge", "assistant", "clerk", CHIEF, "vice_president", "president"])
def test_every_post_and_leader_has_a_list(role):
    assert role_list(role)["events"]
