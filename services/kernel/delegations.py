"""Delegation (委托代办): a person on leave hands their inbox to a colleague who holds the same role in the
same court, from one day to another. While it holds, their open tasks and the new ones addressed to
them go to the delegate (`Task.delegated_from_user_id` keeps whose they are); on the day after its
last day the tasks the delegate has not finished go back by themselves.

The daily monitor applies every delegation (`apply_delegations`, idempotent); a task opened for the
person while a delegation holds goes straight to the delegate (`delegate_for`). The person who gave it, or
their superior or the trial office (tasks.yaml `assigners` where the person works), may end it before its
last day (`end_delegation`): the tasks the delegate has not finished go back at once.
"""
from datetime import date, datetime

from pydantic import Field, model_validator
from sqlalchemy import update
from sqlmodel import Session, select

from policies.roles import Role
from services.kernel.access import Command, court_path
from services.kernel.bounds import Day, Id
from services.kernel.actor import Actor
from services.kernel.clock import local_date
from services.kernel.errors import NotFound, Refused
from services.kernel.policy import policy
from services.kernel.record import record, record_refusal
from services.kernel.subjects import Payload
from services.kernel.task_operations import may_assign, roles_held
from statemachines.task import REASSIGNABLE
from store.models import Delegation, RoleGrant, Task, User
from store.recipients import in_force


class DelegationCreate(Payload):
    delegate_user_id: Id = Field(description="受托人（人员编号）")
    role: Role = Field(description="角色")
    starts_on: Day = Field(description="开始日期")
    ends_on: Day = Field(description="结束日期（含）")
    reason: str = Field(min_length=2, max_length=500, description="事由")

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


def _court_of_role(session: Session, user_id: int, role: str, on: date) -> int | None:
    """The court where the person holds `role` by a grant in force on `on` (the first, if several)."""
    return session.exec(select(RoleGrant.court_id).where(RoleGrant.user_id == user_id, RoleGrant.role == role,
                                                         in_force(on))
                        .order_by(RoleGrant.court_id)).first()


def _refusal(session: Session, actor: Actor, data: DelegationCreate, today: date) -> Refused | None:
    if data.delegate_user_id == actor.user_id:
        return Refused("refused.kernel.delegate_to_yourself")
    court_id = _court_of_role(session, actor.user_id, data.role, today)
    if court_id is None:
        return Refused("refused.kernel.you_do_not_hold_role", role=data.role)
    delegate = session.get(User, data.delegate_user_id)
    if delegate is None or not delegate.active:
        return Refused("refused.kernel.no_active_person", user_id=data.delegate_user_id)
    if delegate.court_id != court_id:
        return Refused("refused.kernel.delegate_in_another_court", name=delegate.display_name or delegate.username)
    if data.role not in roles_held(session, delegate.id, court_id, None, on=today):
        return Refused("refused.kernel.delegate_lacks_role", name=delegate.display_name or delegate.username,
                       role=data.role)
    if data.starts_on < today:
        return Refused("refused.kernel.delegation_starts_in_past")
    longest = policy(session, court_id, "tasks").delegation.max_days
    if (data.ends_on - data.starts_on).days + 1 > longest:
        return Refused("refused.kernel.delegation_too_long", days=longest)
    return None


def delegate(db, actor: Actor, data: DelegationCreate, now: datetime) -> Delegation:
    """Record the delegation (refused and traced if the rules do not allow it); one starting today applies at once."""
    today = local_date(now)
    with db.write() as session:
        refusal = _refusal(session, actor, data, today)
        if refusal is None:
            row = Delegation(user_id=actor.user_id, delegate_user_id=data.delegate_user_id, role=data.role,
                             court_id=_court_of_role(session, actor.user_id, data.role, today), starts_on=data.starts_on,
                             ends_on=data.ends_on, reason=data.reason, created_by=actor.user_id, created_at=now)
            session.add(row)
            session.flush()
            record(session, actor, "delegations.create", at=now, subject_kind="delegations", subject_id=row.id,
                   court_id=row.court_id, why=data.reason, after=data.model_dump(mode="json"))
            _apply(Command(session, actor, now), row, today)
            session.refresh(row)
            session.expunge(row)
            return row
    record_refusal(db, actor, "delegations.create", refusal.reason, at=now, subject_kind="delegations")
    raise refusal


def delegate_for(session: Session, user_id: int, on: date) -> int | None:
    """The person holding `user_id`'s inbox on `on` by a delegation, if any."""
    return session.exec(select(Delegation.delegate_user_id).where(
        Delegation.user_id == user_id, Delegation.state != "ended", Delegation.starts_on <= on,
        Delegation.ends_on >= on).order_by(Delegation.id)).first()


def _hand_back(session: Session, d: Delegation) -> int:
    """The tasks the delegate holds for the person go back to them; returns how many."""
    return _move(session, {"assignee_user_id": d.user_id, "delegated_from_user_id": None},
                 Task.delegated_from_user_id == d.user_id, Task.assignee_user_id == d.delegate_user_id)


def _apply(cmd: Command, d: Delegation, today: date) -> int:
    """Start (or keep) a delegation in force, or end it after its last day; returns the tasks moved."""
    if d.ends_on < today:
        moved = _hand_back(cmd.session, d)
        d.state, d.ended_on, action = "ended", today, "delegations.end"
    elif d.starts_on <= today:
        moved = _move(cmd.session, {"assignee_user_id": d.delegate_user_id, "delegated_from_user_id": d.user_id},
                      Task.assignee_user_id == d.user_id,
                      Task.kind.not_in(policy(cmd.session, d.court_id, "tasks").personal_kinds))
        if d.state == "active" and not moved:
            return 0
        d.state, action = "active", "delegations.start"
    else:
        return 0
    cmd.session.add(d)
    record(cmd.session, cmd.actor, action, at=cmd.now, subject_kind="delegations", subject_id=d.id,
           court_id=d.court_id, why=d.reason, after={"tasks_moved": moved, "user_id": d.user_id,
                                                    "delegate_user_id": d.delegate_user_id})
    return moved


def _move(session: Session, values: dict, *where) -> int:
    result = session.exec(update(Task).where(Task.state.in_(REASSIGNABLE), *where)
                          .values(**values, version=Task.version + 1).execution_options(synchronize_session=False))
    return result.rowcount


class DelegationEnd(Payload):
    reason: str = Field(min_length=2, max_length=500, description="提前结束的理由")


def _end_refusal(session: Session, actor: Actor, d: Delegation) -> Refused | None:
    """The person who gave it may end it, or an assigner (their superior, the trial office) where they work."""
    if d.state == "ended":
        return Refused("refused.kernel.delegation_already_ended")
    if actor.user_id == d.user_id:
        return None
    person = session.get(User, d.user_id)
    if may_assign(session, actor, d.court_id, person.division_id if person else None) is None:
        return None
    return Refused("refused.kernel.only_delegator_or_superior_ends")


def _seen_by(session: Session, actor: Actor, d: Delegation) -> bool:
    person = session.get(User, d.user_id)
    return actor.user_id in (d.user_id, d.delegate_user_id) or actor.can_see(
        d.court_id, court_path(session, d.court_id), person.division_id if person else None)


def end_delegation(db, actor: Actor, delegation_id: int, data: DelegationEnd, now: datetime) -> Delegation:
    """End a delegation before its last day (or one not yet begun): the delegate's open tasks for the person go
    back at once, traced. Refused (and traced) for anyone else, or if it has already ended; a delegation the
    actor cannot see is not found. The state changes only if it still is not ended (a concurrent end loses)."""
    today = local_date(now)
    with db.write() as session:
        d = session.get(Delegation, delegation_id)
        if d is None or not _seen_by(session, actor, d):
            raise NotFound("not_found.kernel.delegation", delegation_id=delegation_id)
        refusal = _end_refusal(session, actor, d)
        if refusal is None and _mark_ended(session, d, actor, today):
            moved = _hand_back(session, d)
            record(session, actor, "delegations.end_early", at=now, subject_kind="delegations", subject_id=d.id,
                   court_id=d.court_id, why=data.reason,
                   after={"tasks_moved": moved, "ended_on": today, "planned_ends_on": d.ends_on,
                          "user_id": d.user_id, "delegate_user_id": d.delegate_user_id})
            session.refresh(d)
            session.expunge(d)
            return d
        refusal = refusal or Refused("refused.kernel.delegation_already_ended")
    record_refusal(db, actor, "delegations.end_early", refusal.reason, at=now, subject_kind="delegations",
                   subject_id=delegation_id)
    raise refusal


def _mark_ended(session: Session, d: Delegation, actor: Actor, today: date) -> bool:
    done = session.exec(update(Delegation).where(Delegation.id == d.id, Delegation.state != "ended")
                        .values(state="ended", ended_on=today, ended_by=actor.user_id)
                        .execution_options(synchronize_session=False))
    return done.rowcount == 1


def delegations_to_watch(session: Session, actor: Actor) -> list[Delegation]:
    """The delegations not yet ended of the people where the actor may move tasks (tasks.yaml `assigners`)."""
    rows = session.exec(select(Delegation, User).join(User, User.id == Delegation.user_id)
                        .where(Delegation.state != "ended", Delegation.court_id.in_({g.court_id for g in actor.grants}))
                        .order_by(Delegation.starts_on, Delegation.id)).all()
    return [d for d, person in rows if may_assign(session, actor, d.court_id, person.division_id) is None]


def apply_delegations(session: Session, as_of: date, now: datetime) -> int:
    """The daily monitor's sweep: every delegation not yet ended starts, keeps hold of the tasks that reached
    its person since, or ends; tasks moved."""
    cmd = Command(session, Actor.system(), now)
    rows = session.exec(select(Delegation).where(Delegation.state != "ended", Delegation.starts_on <= as_of)
                        .order_by(Delegation.id)).all()
    return sum(_apply(cmd, d, as_of) for d in rows)


def delegations_of(session: Session, user_id: int) -> list[Delegation]:
    """A person's delegations either way (given or held), newest first."""
    stmt = select(Delegation).where((Delegation.user_id == user_id) | (Delegation.delegate_user_id == user_id))
    return list(session.exec(stmt.order_by(Delegation.starts_on.desc(), Delegation.id.desc())).all())
