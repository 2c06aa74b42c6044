"""Delegation (委托代办): a person on leave hands their inbox to a colleague who holds the same role in the
same court, from one day to another. While it holds, their open tasks and the new ones addressed to
them go to the delegate (`Task.delegated_from_user_id` keeps whose they are); on the day after its
last day the tasks the delegate has not finished go back by themselves.

The daily monitor applies every delegation (`apply_delegations`, idempotent); a task opened for the
person while a delegation holds goes straight to the delegate (`delegate_for`).
"""
from datetime import date, datetime

from pydantic import Field, model_validator
from sqlalchemy import update
from sqlmodel import Session, select

from policies.roles import Role
from services.kernel.access import Command
from services.kernel.bounds import Day, Id
from services.kernel.actor import Actor
from services.kernel.clock import local_date
from services.kernel.errors import Refused
from services.kernel.policy import policy
from services.kernel.record import record, record_refusal
from services.kernel.subjects import Payload
from services.kernel.task_operations import roles_held
from statemachines.task import REASSIGNABLE
from store.models import Delegation, RoleGrant, Task, User


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


def _court_of_role(session: Session, user_id: int, role: str) -> int | None:
    return session.exec(select(RoleGrant.court_id).where(RoleGrant.user_id == user_id, RoleGrant.role == role)
                        .order_by(RoleGrant.court_id)).first()


def _refusal(session: Session, actor: Actor, data: DelegationCreate, today: date) -> Refused | None:
    if data.delegate_user_id == actor.user_id:
        return Refused("refused.kernel.delegate_to_yourself")
    court_id = _court_of_role(session, actor.user_id, data.role)
    if court_id is None:
        return Refused("refused.kernel.you_do_not_hold_role", role=data.role)
    delegate = session.get(User, data.delegate_user_id)
    if delegate is None or not delegate.active:
        return Refused("refused.kernel.no_active_person", user_id=data.delegate_user_id)
    if delegate.court_id != court_id:
        return Refused("refused.kernel.delegate_in_another_court", name=delegate.display_name or delegate.username)
    if data.role not in roles_held(session, delegate.id, court_id, None):
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
                             court_id=_court_of_role(session, actor.user_id, data.role), starts_on=data.starts_on,
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


def _apply(cmd: Command, d: Delegation, today: date) -> int:
    """Start (or keep) a delegation in force, or end it after its last day; returns the tasks moved."""
    if d.ends_on < today:
        moved = _move(cmd.session, {"assignee_user_id": d.user_id, "delegated_from_user_id": None},
                      Task.delegated_from_user_id == d.user_id, Task.assignee_user_id == d.delegate_user_id)
        d.state, action = "ended", "delegations.end"
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
