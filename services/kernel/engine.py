"""One shape for acting on any subject: see its state and allowed events, fire one event.

A command loads the subject (another court's subject looks like 404), builds its state
machine on the row, checks the caller's roles, validates the payload, fires the event,
applies the service's effects, and commits state, trace and notices in one transaction.
A refusal rolls everything back and is then traced on its own.
"""
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session
from statemachine.exceptions import TransitionNotAllowed

from services.kernel.access import Command, load_visible, roles_here
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Conflict, Invalid, Refused
from services.kernel.invariants import database_rules
from services.kernel.machines import allowed_from, machine_on
from services.kernel.powers import lacking
from services.kernel.record import record, record_refusal
from services.kernel.subjects import EventSpec, SubjectKind
from services.kernel.registry import subject_kind
from statemachines.base import Refusal
from store.jsonable import row_snapshot


def _facts(session: Session, spec: EventSpec | None, row, now: datetime) -> dict:
    return spec.facts(session, row, now) if spec and spec.facts else {}


def allowed_events(session: Session, actor: Actor, kind: SubjectKind, row, now: datetime) -> list[str]:
    """Events the machine allows from the row's state that this actor may fire."""
    roles = roles_here(session, actor, kind, row)
    names = []
    for event in allowed_from(kind, row):
        spec = kind.events.get(event)
        if spec and roles & spec.roles and not (spec.may and spec.may(session, actor, row, now)):
            names.append(event)
    return names


def view(db, actor: Actor, kind_name: str, subject_id: int, now: datetime) -> dict:
    kind = subject_kind(kind_name)
    with db.read() as session:
        return _view_of(session, actor, kind, load_visible(session, actor, kind, subject_id), now)


def _view_of(session: Session, actor: Actor, kind: SubjectKind, row, now: datetime) -> dict:
    return {**kind.public(row), "kind": kind.name, "id": row.id, "state": row.state,
            "version": row.version, "allowed_events": allowed_events(session, actor, kind, row, now)}


def event_choices(db, actor: Actor, kind_name: str, subject_id: int, events: list[str],
                  now: datetime) -> dict[str, dict]:
    """For each event, what its fields may be set to on this subject on the court day of `now` (EventSpec.choices:
    people by the grants in force that day), for the form."""
    kind = subject_kind(kind_name)
    wanted = [e for e in events if kind.events[e].choices]
    if not wanted:
        return {}
    with db.read() as session:
        row = load_visible(session, actor, kind, subject_id)
        return {e: kind.events[e].choices(session, row, local_today(now)) for e in wanted}


def fire(db, actor: Actor, kind_name: str, subject_id: int, event: str, payload: dict | None,
         now: datetime, expected_version: int | None = None) -> dict:
    """Fire one event; raises NotFound, Invalid, Refused (traced) or Conflict."""
    kind = subject_kind(kind_name)
    subject = {"subject_kind": kind.name, "subject_id": subject_id}
    try:
        with database_rules(), db.write() as session:
            row = load_visible(session, actor, kind, subject_id)
            subject["court_id"] = row.court_id
            _check_version(row, expected_version)
            cmd = Command(session, actor, now)
            data, before = _move(cmd, kind, row, event, payload or {})
            answer = _view_of(session, actor, kind, row, now)  # after the event, before the commit
            _trace_event(cmd, kind, row, event, data, before)  # last: PostgreSQL holds the trace's lock from here
    except Refused as refusal:
        record_refusal(db, actor, f"{kind.name}.{event}", refusal.reason, at=now, **subject)
        raise
    except StaleDataError as exc:
        raise Conflict("conflict.kernel.was_changed_someone_else_reload_try", subject_kind=kind.name, subject_id=subject_id) from exc
    return answer


def _check_version(row, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise Conflict("conflict.kernel.version_stale_subject_now_at_version", expected_version=expected_version, version=row.version)


def apply_event(cmd: Command, kind: SubjectKind, row, event: str, payload: dict) -> None:
    """Fire one event on a loaded row inside an open command (what `fire` does after loading; a sweep
    uses it to move many rows in its own transaction): roles, machine, payload, effects, trace."""
    _trace_event(cmd, kind, row, event, *_move(cmd, kind, row, event, payload))


def _move(cmd: Command, kind: SubjectKind, row, event: str, payload: dict) -> tuple:
    """Everything of an event but its trace entry: roles, machine, payload, effects, flushed. Returns the
    validated payload and the row as it was.

    Only the event asked for is checked; the whole list of allowed events is computed for a refusal."""
    spec = kind.events.get(event)
    if spec is None or not _may_fire(cmd, kind, row, spec):
        refusal = _why_not(cmd, kind, row, event, spec)
        refusal.allowed_events = allowed_events(cmd.session, cmd.actor, kind, row, cmd.now)
        raise refusal
    data = _validate(spec, payload)
    before = row_snapshot(row)
    try:
        with machine_on(kind, row) as machine:
            machine.send(event, data=data, now=cmd.now, actor=cmd.actor, **_facts(cmd.session, spec, row, cmd.now))
    except Refusal as exc:
        raise Refused(exc.message_id, allowed_events(cmd.session, cmd.actor, kind, row, cmd.now), **exc.params) from exc
    except TransitionNotAllowed as exc:
        raise Refused("refused.kernel.not_allowed_while", allowed_events(cmd.session, cmd.actor, kind, row, cmd.now),
                      event=event, subject_kind=kind.name, state=row.state) from exc
    if spec.apply:
        spec.apply(cmd, row, data)
    cmd.session.add(row)
    cmd.session.flush()
    return data, before


def _trace_event(cmd: Command, kind: SubjectKind, row, event: str, data, before: dict) -> None:
    """The event's trace entry, the row before and after. On PostgreSQL the append takes the chain's lock until
    the commit, so a command appends as late as it can: every command's append waits for the one before."""
    record(cmd.session, cmd.actor, f"{kind.name}.{event}", at=cmd.now, subject_kind=kind.name, subject_id=row.id,
           court_id=row.court_id, why=getattr(data, "reason", "") or "", before=before, after=row_snapshot(row))


def _may_fire(cmd: Command, kind: SubjectKind, row, spec: EventSpec) -> bool:
    """The machine allows the event from the row's state and the actor may fire it (allowed_events for one)."""
    return (spec.name in allowed_from(kind, row) and bool(roles_here(cmd.session, cmd.actor, kind, row)
            & spec.roles) and not (spec.may and spec.may(cmd.session, cmd.actor, row, cmd.now)))


def _why_not(cmd: Command, kind: SubjectKind, row, event: str, spec: EventSpec | None) -> Refused:
    if spec is None:
        return Refused("refused.kernel.not_event", event=event, subject_kind=kind.name)
    if event not in allowed_from(kind, row):
        return Refused("refused.kernel.not_allowed_while", event=event, subject_kind=kind.name, state=row.state)
    if spec.may and (reason := spec.may(cmd.session, cmd.actor, row, cmd.now)):
        return reason
    return lacking(kind, spec, roles_here(cmd.session, cmd.actor, kind, row))


def _validate(spec: EventSpec, payload: dict):
    try:
        return spec.payload.model_validate(payload)
    except ValidationError as exc:
        raise Invalid.from_pydantic(exc.errors()[0], "payload") from exc
