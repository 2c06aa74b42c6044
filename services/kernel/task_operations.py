"""Moving tasks between people (issue 17): who may take or give a task, checked against the roles people
hold where the task lies; and moving all of one person's open tasks at once, as one traced command.

Claim, unclaim, assign and prioritise are events of the task machine (services/kernel/task_subject.py);
a bulk reassignment and a delegation move only tasks in the states the machine lets `assign` leave.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, update
from sqlmodel import Session, select

from pydantic import Field, model_validator

from policies.roles import Role
from services.kernel.access import Command, court_path
from services.kernel.actor import Actor
from services.kernel.bounds import Id
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.policy import policy
from services.kernel.record import record, record_refusal
from services.kernel.subjects import Payload
from statemachines.task import REASSIGNABLE
from store.models import RoleGrant, Task, User
from store.recipients import in_force


def roles_held(session: Session, user_id: int, court_id: int, division_id: int | None, *, on: date) -> set[str]:
    """The roles an active person holds at a place (court-wide, or for the division) by grants in force on `on`."""
    stmt = (select(RoleGrant.role, RoleGrant.division_id).join(User, User.id == RoleGrant.user_id)
            .where(RoleGrant.user_id == user_id, RoleGrant.court_id == court_id, User.active.is_(True),
                   in_force(on)))
    return {role for role, d in session.exec(stmt).all() if d is None or division_id is None or d == division_id}


def roles_for(session: Session, task_role: str | None, holder_id: int | None, court_id: int,
              division_id: int | None, *, on: date) -> set[str]:
    """What a person must hold to take a task: its role, or for a person's own task a role its holder has there."""
    if task_role:
        return {task_role}
    return roles_held(session, holder_id, court_id, division_id, on=on) if holder_id else set()


def eligible_people(session: Session, task: Task, on: date) -> list[tuple[int, str]]:
    """(id, name) of the active people a task may go to on `on`: who holds its role (or, for a person's own task, a
    role its holder has there) at its place by a grant in force that day, its holder left out; for the assign
    form, by name."""
    needed = roles_for(session, task.assignee_role, task.assignee_user_id, task.court_id, task.division_id, on=on)
    place = (RoleGrant.division_id.is_(None) if task.division_id is None
             else or_(RoleGrant.division_id.is_(None), RoleGrant.division_id == task.division_id))
    rows = session.exec(select(User.id, User.display_name).join(RoleGrant, RoleGrant.user_id == User.id)
                        .where(RoleGrant.court_id == task.court_id, RoleGrant.role.in_(needed), place,
                               in_force(on), User.active.is_(True))
                        .distinct().order_by(User.display_name, User.id)).all()
    return [(uid, name) for uid, name in rows if uid != task.assignee_user_id]


def refuse_unless_holds(session: Session, user_id: int, needed: set[str], court_id: int,
                        division_id: int | None, *, on: date) -> None:
    """Refused unless the person holds one of `needed` at the task's place (a task may go only to its role)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise Refused("refused.kernel.no_active_person", user_id=user_id)
    if needed and not needed & roles_held(session, user_id, court_id, division_id, on=on):
        raise Refused("refused.kernel.person_lacks_task_role", name=user.display_name or user.username,
                      roles=", ".join(sorted(needed)))


def may_assign(session: Session, actor: Actor, court_id: int, division_id: int | None) -> Refused | None:
    """None if the actor holds one of the policy's assigner roles at the place; else the refusal."""
    if actor.is_system:
        return None
    assigners = set(policy(session, court_id, "tasks").assigners)
    if actor.roles_at(court_id, court_path(session, court_id), division_id) & assigners:
        return None
    return Refused("refused.kernel.only_superior_assigns_task", allowed=", ".join(sorted(assigners)))


@dataclass
class Moved:
    count: int
    task_ids: list[int]


def reassign_all(cmd: Command, *, from_user_id: int, reason: str, to_user_id: int | None = None,
                 to_role: str | None = None, kinds: list[str] | None = None) -> Moved:
    """Every open task of one person (optionally only of these kinds) to another person
    — who must hold each task's role at its place — or offered to `to_role` at its place. One command,
    one UPDATE, one trace entry naming every task moved."""
    if to_user_id == from_user_id:
        raise Refused("refused.kernel.tasks_already_belong")
    mover = cmd.session.get(User, from_user_id)
    personal = policy(cmd.session, mover.court_id, "tasks").personal_kinds if mover else []
    stmt = select(Task.id, Task.court_id, Task.division_id, Task.assignee_role).where(
        Task.assignee_user_id == from_user_id, Task.state.in_(REASSIGNABLE), Task.kind.not_in(personal))
    if kinds:
        stmt = stmt.where(Task.kind.in_(kinds))
    rows = cmd.session.exec(stmt.order_by(Task.id)).all()
    for court_id, division_id, role in {(c, d, r) for _, c, d, r in rows}:
        if reason_not := may_assign(cmd.session, cmd.actor, court_id, division_id):
            raise reason_not
        if to_user_id is not None:
            needed = roles_for(cmd.session, role, from_user_id, court_id, division_id, on=local_today(cmd.now))
            refuse_unless_holds(cmd.session, to_user_id, needed, court_id, division_id, on=local_today(cmd.now))
    ids = [r[0] for r in rows]
    if ids:
        values = ({"assignee_user_id": to_user_id} if to_user_id is not None
                  else {"assignee_user_id": None, "assignee_role": to_role})
        cmd.session.exec(update(Task).where(Task.id.in_(ids), Task.state.in_(REASSIGNABLE))
                         .values(**values, delegated_from_user_id=None, version=Task.version + 1)
                         .execution_options(synchronize_session=False))
    record(cmd.session, cmd.actor, "tasks.bulk_reassign", at=cmd.now, subject_kind="users", subject_id=from_user_id,
           why=reason, after={"count": len(ids), "to_user_id": to_user_id, "to_role": to_role, "task_ids": ids,
                              "kinds": kinds})
    return Moved(len(ids), ids)


class BulkReassign(Payload):
    """All open tasks of one person (of these kinds only, if named) to another person or back to a role."""
    from_user_id: Id = Field(description="原承办人（人员编号）")
    to_user_id: Id | None = Field(default=None, description="改派给（人员编号）")
    to_role: Role | None = Field(default=None, description="或退回角色待领")
    kinds: list[str] = Field(default=[], max_length=50, description="仅这些待办类型")
    reason: str = Field(min_length=2, max_length=500, description="理由")

    @model_validator(mode="after")
    def _one_target(self):
        if (self.to_user_id is None) == (self.to_role is None):
            raise ValueError("name either to_user_id or to_role")
        if any(len(k) > 60 for k in self.kinds):
            raise ValueError("a kind of task has at most 60 characters")
        return self


def bulk_reassign(db, actor: Actor, data: BulkReassign, now: datetime) -> Moved:
    """The bulk reassignment as a command of its own: the person must be one the actor sees (else 404) and
    the actor an assigner where the person works (else refused, traced); then `reassign_all`."""
    try:
        with db.write() as session:
            person = session.get(User, data.from_user_id)
            if person is None or not actor.can_see(person.court_id, court_path(session, person.court_id),
                                                   person.division_id):
                raise NotFound("not_found.kernel.person", user_id=data.from_user_id)
            if refusal := may_assign(session, actor, person.court_id, person.division_id):
                raise refusal
            if data.to_user_id is not None and session.get(User, data.to_user_id) is None:
                raise Invalid("payload.to_user_id", "invalid.kernel.no_such_person")
            return reassign_all(Command(session, actor, now), from_user_id=data.from_user_id, reason=data.reason,
                                to_user_id=data.to_user_id, to_role=data.to_role, kinds=data.kinds or None)
    except Refused as refusal:
        record_refusal(db, actor, "tasks.bulk_reassign", refusal.reason, at=now, subject_kind="users",
                       subject_id=data.from_user_id)
        raise
