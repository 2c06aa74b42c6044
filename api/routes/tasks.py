"""The caller's inbox."""
from fastapi import APIRouter, Query

from api.deps import CurrentActor, DbDep
from api.responses import TaskOut
from services.tasks import my_tasks

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


def task_public(t) -> dict:
    return {"id": t.id, "kind": t.kind, "title": t.title, "subject_kind": t.subject_kind, "subject_id": t.subject_id,
            "court_id": t.court_id, "division_id": t.division_id, "assignee_user_id": t.assignee_user_id,
            "assignee_role": t.assignee_role, "due_on": t.due_on, "state": t.state,
            "escalation_level": t.escalation_level, "context": t.context,
            "subject_url": f"/api/v1/{t.subject_kind}/{t.subject_id}"}


@router.get("", response_model=list[TaskOut])
def list_tasks(actor: CurrentActor, db: DbDep, state: str = Query("open", pattern="^(open|done|cancelled)$")):
    """My tasks: those addressed to me, or to a role I hold where the task lies."""
    with db.read() as session:
        return [task_public(t) for t in my_tasks(session, actor, state=state)]
