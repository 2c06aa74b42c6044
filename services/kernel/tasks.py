"""The inbox: open a task for a person or a role, list one's own, finish them. A task for a person whose
inbox a delegation holds goes to the delegate; finishing a task finishes the supervision that chased it."""
from datetime import date, datetime

from sqlalchemy import and_, false, or_
from sqlmodel import Session, select

from services.kernel.actor import Actor
from services.kernel.chase import close_supervision_of_finished
from services.kernel.clock import local_date
from services.kernel.delegations import delegate_for
from store.bulk import insert_ignoring_duplicates
from store.models import Task


OUTLIVE_SUBJECT = ("serve_party_notice", "case_node")
"""Task kinds that ending their subject does not cancel."""
SELF_TASK_KINDS = frozenset({"serve_party_notice", "long_pending_supervision", "supervise_overdue_approval",
                             "supervise_overdue_task", "review_list"})


def task_link(task: Task) -> str:
    """Where a task is acted on: its own page for a step of its own, else the subject's page."""
    if task.subject_kind == "tasks" or task.kind in SELF_TASK_KINDS:
        return f"/s/tasks/{task.id}"
    return f"/s/{task.subject_kind}/{task.subject_id}"


def open_task(session: Session, *, kind: str, title: str, subject_kind: str, subject_id: int, court_id: int,
              at: datetime, division_id: int | None = None, assignee_user_id: int | None = None,
              assignee_role: str | None = None, due_on: date | None = None, dedupe_key: str | None = None,
              context: dict | None = None, priority: str = "normal") -> bool:
    """Add a task; with a dedupe key, a second one for the same key adds nothing. True if added."""
    delegated_from = None
    if assignee_user_id is not None and (delegate := delegate_for(session, assignee_user_id, local_date(at))):
        assignee_user_id, delegated_from = delegate, assignee_user_id
    row = dict(priority=priority, delegated_from_user_id=delegated_from,
               kind=kind, title=title, subject_kind=subject_kind, subject_id=subject_id, court_id=court_id,
               division_id=division_id, assignee_user_id=assignee_user_id, assignee_role=assignee_role,
               due_on=due_on, state="open", dedupe_key=dedupe_key, escalation_level=0,
               context=context or {}, created_at=at, version=1)
    return insert_ignoring_duplicates(session, Task, [row], ["dedupe_key"]) == 1


def close_tasks(session: Session, *, subject_kind: str, subject_id: int, kinds: tuple[str, ...], actor: Actor,
                at: datetime) -> None:
    """Mark the open tasks of these kinds on a subject done, by whoever acted."""
    rows = session.exec(select(Task).where(
        Task.subject_kind == subject_kind, Task.subject_id == subject_id, Task.state == "open", Task.kind.in_(kinds)
    )).all()
    for task in rows:
        task.state, task.done_at, task.done_by = "done", at, actor.user_id
        session.add(task)
    session.flush()
    close_supervision_of_finished(session, at, [t.id for t in rows])


def mine_clause(actor: Actor):
    """Tasks addressed to the actor, or offered to a role they hold where the task lies and not yet claimed."""
    clauses = [Task.assignee_user_id == actor.user_id]
    for g in actor.grants:
        place = Task.court_id == g.court_id
        if g.division_id is not None:
            place = and_(place, or_(Task.division_id == g.division_id, Task.division_id.is_(None)))
        clauses.append(and_(Task.assignee_role == g.role, Task.assignee_user_id.is_(None), place))
    return or_(*clauses) if clauses else false()


def my_tasks(session: Session, actor: Actor, *, state: str = "open", limit: int = 200) -> list[Task]:
    stmt = (select(Task).where(Task.state == state, mine_clause(actor))
            .order_by(Task.due_on.is_(None), Task.due_on, Task.id).limit(limit))
    return list(session.exec(stmt).all())


def cancel_open_tasks(session: Session, subject_kind: str, subject_id: int, at: datetime) -> None:
    """When a subject ends, the steps still open on it are no longer anyone's to do (serving
    a written notice on the parties still is; a case's process nodes end by their own rule,
    services/cases/nodes.drop_open_nodes)."""
    rows = session.exec(select(Task).where(Task.subject_kind == subject_kind, Task.subject_id == subject_id,
                                           Task.state == "open", Task.kind.not_in(OUTLIVE_SUBJECT))).all()
    for task in rows:
        task.state, task.done_at = "cancelled", at
        session.add(task)
    session.flush()
    close_supervision_of_finished(session, at, [t.id for t in rows])
