"""权责清单: what each role may do and what it must do by when, generated from the rules, never written by hand.

Powers come from the state machines' events and the roles each event is granted (a row per event, with
the lifecycle, the states it is fired in and the conditions that may refuse it), and from the policy
fields that name roles (who may flag a case, who supervises, who records the committee's decision…).
Duties come from the policy fields marked as due-date duties (policies/duties.py), with the period in
force. A refused event names the item of this list the actor lacks (`lacking`). The words are the
catalog's: `kind.`, `event.`, `state.`, `condition.<check>`, `power.<policy path>`, `duty.<policy path>`."""
from dataclasses import dataclass
from typing import Annotated, get_args, get_origin

from pydantic import BaseModel

from policies.roles import known_role
from services.kernel.errors import Refused
from services.kernel.subjects import EventSpec, SubjectKind


@dataclass(frozen=True)
class Power:
    """An event of a subject (`subject` a kind, `event` its event: the catalog's words for both), or a policy
    field naming roles (`subject` the policy, `event` the field's path: the catalog's `power.<path>`)."""
    item: str
    lifecycle: str
    subject: str
    event: str
    roles: tuple[str, ...]
    states: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # the catalog's `condition.<name>`: each check that may refuse it


@dataclass(frozen=True)
class Duty:
    """A due-date duty: the catalog's `duty.<label or item>` with `params` (a keyed entry's key, e.g. the
    procedure of a time limit), or for the chase `duty.chase` naming `task_kind`. `period` is a number of
    `unit`s (days, working days, months of a statutory limit, days before the limit expires…)."""
    item: str
    lifecycle: str
    roles: tuple[str, ...]
    period: int
    unit: str
    task_kind: str = ""
    label: str = ""
    params: tuple[tuple[str, str], ...] = ()


def item_of(kind: SubjectKind, event: str) -> str:
    return f"{kind.name}.{event}"


def lacking(kind: SubjectKind, spec: EventSpec, roles_here: set[str]) -> Refused:
    """The refusal of an event the actor's roles here do not hold: the list item, and whose list it is on."""
    return Refused("refused.kernel.not_on_powers_list", item=item_of(kind, spec.name), event=spec.name,
                   subject_kind=kind.name, roles=", ".join(sorted(spec.roles)), held=_held(roles_here))


def lacking_policy(path: str, allowed, roles_here: set[str]) -> Refused:
    """The refusal of a step a policy field grants (`path`, e.g. supervision.supervisor_roles): the list item."""
    return Refused("refused.kernel.not_on_powers_list_policy", item=f"policy:{path}", power=path,
                   allowed=", ".join(sorted(allowed)), held=_held(roles_here))


def _held(roles_here: set[str]) -> str:
    return ", ".join(sorted(roles_here - {"system"})) or "none"


def event_powers(subjects: dict[str, SubjectKind], owners: dict[str, str]) -> list[Power]:
    """One item per event of every subject's machine that some role may fire."""
    powers = []
    for kind in subjects.values():
        states, conditions = _transitions(kind.machine_classes)
        for event in dict.fromkeys(e.id for machine in kind.machine_classes for e in machine.events):
            spec = kind.events.get(event)
            if spec is None:
                continue  # moved by the system only (e.g. supervision ends with the case): no one's power
            may = _doc(spec.may) if spec.may else ()
            powers.append(Power(item_of(kind, event), owners.get(kind.name, ""), kind.name, event,
                                tuple(sorted(spec.roles)), tuple(states.get(event, ())),
                                tuple(conditions.get(event, ())) + may))
    return powers


def _transitions(machines) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per event: the states it is fired in, and the conditions that may refuse it (their names)."""
    states: dict[str, list[str]] = {}
    conditions: dict[str, list[str]] = {}
    for machine, state in ((m, s) for m in machines for s in m.states):
        for transition in state.transitions:
            event = str(transition.event)
            if state.id not in states.setdefault(event, []):
                states[event].append(state.id)
            for name in [str(v) for v in transition.validators] + [str(c) for c in transition.cond]:
                name = name.replace("!", "not_")
                if name not in conditions.setdefault(event, []):
                    conditions[event].append(name)
    return states, conditions


def _doc(function) -> tuple[str, ...]:
    """A `may` check's name (the catalog's `condition.<name>` says it in words)."""
    if function is None or function.__name__ == "<lambda>":
        return ()
    return (function.__name__.strip("_"),)


def policy_powers(policies: dict[str, BaseModel], owners: dict[str, str]) -> list[Power]:
    """One item per policy field typed as roles: the roles it names hold what the field grants."""
    powers = []
    for name, model in policies.items():
        for path, field, value in _fields(model, name):
            if _names_roles(field.annotation) and value:
                roles = (value,) if isinstance(value, str) else tuple(value)
                powers.append(Power(f"policy:{path}", owners.get(name, ""), name, path, roles))
    return powers


def duties(policies: dict[str, BaseModel], owners: dict[str, str]) -> list[Duty]:
    """One item per policy field marked as a due-date duty, with the period the policy gives: keyed entries
    (each procedure's time limit, each ladder step) one item each. A duty nobody owes (no limit, no role) is
    not listed."""
    found = []
    for name, model in policies.items():
        for path, field, value, parent, keys in _entries(model, name, ()):
            mark = _extra(field).get("duty")
            if not mark or value is None:
                continue
            roles = _owed_by(mark["of"], parent)
            if roles:
                period, unit = _period(value, mark["unit"])
                label = mark.get("label", "").format(**{k: getattr(parent, k) for k in type(parent).model_fields})
                found.append(Duty(path, owners.get(name, ""), roles, period, unit, label=label, params=keys))
    return found


def _period(value, unit: str) -> tuple[int, str]:
    """A statutory limit (a Duration: months or days) says its own unit; any other period is a number."""
    if unit == "limit":
        return value.value, "months" if value.unit == "m" else "days"
    return value, unit


def _extra(field) -> dict:
    return field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}


def _entries(model: BaseModel, prefix: str, keys: tuple):
    """(path, field, value, parent model, keys) of every field, nested models walked, and the entries of a
    mapping or list marked `keyed_by` (their key joins `keys` under the marker's name)."""
    for name, field in type(model).model_fields.items():
        value, path = getattr(model, name), f"{prefix}.{name}"
        keyed = _extra(field).get("keyed_by")
        if isinstance(value, BaseModel):
            yield from _entries(value, path, keys)
        elif keyed and isinstance(value, (dict, list)):
            pairs = value.items() if isinstance(value, dict) else ((getattr(v, "key", i), v) for i, v in enumerate(value))
            for key, entry in pairs:
                yield from _entries(entry, f"{path}.{key}", keys + ((keyed, str(key)),))
        else:
            yield path, field, value, model, keys


def chase_duties(policies: dict[str, BaseModel], owners: dict[str, str]) -> list[Duty]:
    """The leaders' side of 挂账督办 (monitoring.yaml `chase`): whoever an overdue task of a kind is escalated to
    owes action on the supervision task within its days; left overdue, it is 怠于履行."""
    chase = getattr(policies.get("monitoring"), "chase", None)
    if chase is None:
        return []
    found = []
    for name, rule in [("default", chase.default)] + [(f"kinds.{k}", r) for k, r in chase.kinds.items()]:
        if rule.escalate_after_days is None:
            continue
        targets = {rule.escalate_to} if rule.escalate_to else set(chase.superiors.values())
        if rule.second_escalate_after_days is not None:
            targets |= {rule.second_escalate_to} if rule.second_escalate_to else set(chase.superiors.values())
        found.append(Duty(f"monitoring.chase.{name}.escalation_due_days", owners.get("monitoring", ""),
                          tuple(sorted(targets)), rule.escalation_due_days, "days", name.removeprefix("kinds.")))
    return found


def _owed_by(of: str, parent: BaseModel) -> tuple[str, ...]:
    """The role named, or the role (roles) the sibling field `@field` names: none when it names no one."""
    if not of.startswith("@"):
        return (of,)
    value = getattr(parent, of[1:])
    return ((value,) if value else ()) if isinstance(value, str) else tuple(value)


def _fields(model: BaseModel, prefix: str):
    """(dotted path, field info, value) of every field, nested models walked (lists of models are not)."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}.{name}"
        if isinstance(value, BaseModel):
            yield from _fields(value, path)
        else:
            yield path, field, value


def _names_roles(annotation) -> bool:
    """`Role`, or a list, tuple or set of them."""
    if get_origin(annotation) is Annotated:
        return any(getattr(m, "func", None) is known_role for m in annotation.__metadata__)
    return any(_names_roles(arg) for arg in get_args(annotation))
