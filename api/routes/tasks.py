"""The caller's inbox; moving all of one person's tasks; delegations; the 挂账督办 list and its export."""
from datetime import date

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath, IdQuery
from api.responses import TaskOut
from services.kernel.clock import local_date
from services.kernel.delegations import DelegationCreate, DelegationEnd, delegate, delegations_of, end_delegation
from services.kernel.overdue_list import as_csv, lapses, overdue_tasks
from services.kernel.task_operations import BulkReassign, bulk_reassign
from services.kernel.tasks import my_tasks

router = APIRouter(prefix="/api/v1", tags=["tasks"])


def task_public(t) -> dict:
    return {"id": t.id, "kind": t.kind, "title": t.title, "subject_kind": t.subject_kind, "subject_id": t.subject_id,
            "court_id": t.court_id, "division_id": t.division_id, "assignee_user_id": t.assignee_user_id,
            "assignee_role": t.assignee_role, "due_on": t.due_on, "state": t.state,
            "escalation_level": t.escalation_level, "context": t.context, "priority": t.priority,
            "delegated_from_user_id": t.delegated_from_user_id,
            "subject_url": f"/api/v1/{t.subject_kind}/{t.subject_id}"}


@router.get("/tasks", response_model=list[TaskOut])
def list_tasks(actor: CurrentActor, db: DbDep, state: str = Query("open", pattern="^(open|done|cancelled)$")):
    """My tasks: those addressed to me, or offered to a role I hold where the task lies and not yet claimed."""
    with db.read() as session:
        return [task_public(t) for t in my_tasks(session, actor, state=state)]


class Moved(BaseModel):
    count: int
    task_ids: list[int]


@router.post("/tasks/bulk-reassign", response_model=Moved)
def post_bulk_reassign(body: BulkReassign, actor: CurrentActor, db: DbDep, now: NowDep):
    """Every open task of one person to another person holding each task's role there, or back to a role's
    queue: one command, one trace entry. For the person's superior or the trial office (tasks.yaml)."""
    moved = bulk_reassign(db, actor, body, now)
    return Moved(count=moved.count, task_ids=moved.task_ids)


class DelegationOut(BaseModel):
    id: int
    user_id: int
    delegate_user_id: int
    court_id: int
    role: str
    starts_on: date
    ends_on: date
    reason: str
    state: str
    ended_on: date | None = None
    ended_by: int | None = None


@router.post("/delegations", response_model=DelegationOut, status_code=201)
def post_delegation(body: DelegationCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """Hand my inbox to a colleague with the same role in my court for a period; it ends by itself."""
    return DelegationOut.model_validate(delegate(db, actor, body, now), from_attributes=True)


@router.post("/delegations/{delegation_id}/end", response_model=DelegationOut)
def post_delegation_end(delegation_id: IdPath, body: DelegationEnd, actor: CurrentActor, db: DbDep, now: NowDep):
    """End a delegation before its last day: the delegate's unfinished tasks go back to the person at once.
    For the person who gave it, or their superior or the trial office (tasks.yaml assigners); not twice."""
    return DelegationOut.model_validate(end_delegation(db, actor, delegation_id, body, now), from_attributes=True)


@router.get("/delegations", response_model=list[DelegationOut])
def list_delegations(actor: CurrentActor, db: DbDep):
    """My delegations, given or held, newest first."""
    with db.read() as session:
        return [DelegationOut.model_validate(d, from_attributes=True) for d in delegations_of(session, actor.user_id)]


class OverdueTaskOut(BaseModel):
    id: int
    kind: str
    title: str
    court: str
    division: str
    holder: str
    due_on: date
    days_overdue: int
    escalations: int
    priority: str
    subject_kind: str
    subject_id: int


class LapseOut(BaseModel):
    id: int
    leader: str
    court: str
    kind: str
    title: str
    due_on: date | None
    recorded_on: date


class OverdueList(BaseModel):
    as_of: date
    tasks: list[OverdueTaskOut]
    lapses: list[LapseOut]


@router.get("/tasks/overdue", response_model=OverdueList)
def overdue_list(actor: CurrentActor, db: DbDep, now: NowDep, court_id: IdQuery = None):
    """挂账督办: the overdue and escalated tasks of the courts or division I supervise (the trial office: its
    subtree) with their age, holder and escalations, and the leaders' lapses there. Empty for anyone else."""
    as_of = local_date(now)
    with db.read() as session:
        return OverdueList(as_of=as_of, tasks=[OverdueTaskOut(**vars(r)) for r in overdue_tasks(session, actor, as_of,
                                                                                            court_id)],
                           lapses=[LapseOut(**vars(r)) for r in lapses(session, actor, court_id)])


@router.get("/tasks/overdue.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "the 挂账督办 list as CSV"}})
def overdue_list_csv(actor: CurrentActor, db: DbDep, now: NowDep, court_id: IdQuery = None):
    as_of = local_date(now)
    with db.read() as session:
        body = as_csv(overdue_tasks(session, actor, as_of, court_id), lapses(session, actor, court_id))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="overdue-tasks-{as_of}.csv"'})
