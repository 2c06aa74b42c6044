"""Tasks as a subject: the assignee completes, a supervisor cancels; both are traced."""
from pydantic import Field

from policies.roles import LEADERS
from services.kernel.errors import Refused
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from statemachines.task import TaskMachine
from store.models import Task

SUPERVISORS = LEADERS | {"trial_office"}


class CompletePayload(Payload):
    note: str = Field(default="", max_length=2000, description="备注")


class CancelPayload(Payload):
    reason: str = Field(min_length=2, max_length=500, description="理由")


def _only_assignee(session, actor, task, now):
    if task.assignee_user_id is not None and task.assignee_user_id != actor.user_id:
        return Refused("refused.kernel.only_person_task_addressed_may_complete")
    if task.assignee_user_id is None and task.assignee_role not in actor.roles:
        return Refused("refused.kernel.task_role", assignee_role=task.assignee_role)
    return None


def _finish(cmd, task, data):
    task.done_at, task.done_by = cmd.now, cmd.actor.user_id
    if getattr(data, "note", ""):
        task.context = {**task.context, "note": data.note}


def task_public(task: Task) -> dict:
    return {"title": task.title, "kind_of_task": task.kind, "subject": f"{task.subject_kind}/{task.subject_id}",
            "due_on": task.due_on, "assignee_user_id": task.assignee_user_id, "assignee_role": task.assignee_role,
            "escalation_level": task.escalation_level}


NEED_TO_KNOW = ("petitions", "ladder_steps", "exit_proceedings")  # their tasks tell what their subject says


def sees(session, actor, task: Task) -> bool:
    """The assignee; anyone with a role at the task's place — but a task about a petition, a ladder step or an
    exit only to those who may see that subject (services/kernel/need_to_know.py)."""
    from services.kernel.registry import subject_kind
    from services.kernel.access import court_path

    if actor.user_id is not None and actor.user_id == task.assignee_user_id:
        return True
    if not actor.can_see(task.court_id, court_path(session, task.court_id), task.division_id):
        return False
    if task.subject_kind not in NEED_TO_KNOW:
        return True
    kind = subject_kind(task.subject_kind)
    row = session.get(kind.model, task.subject_id)
    return row is not None and kind.seen_by(session, actor, row, lambda c: court_path(session, c))


EVERYONE = frozenset({"judge", "assistant", "clerk", "filing_clerk", "division_chief", "vice_president", "president",
                      "trial_office", "inspection", "personnel", "committee"})

TASKS = SubjectKind(
    name="tasks", model=Task, machine=TaskMachine, public=task_public, title=lambda t: t.title, sees=sees,
    events={
        "complete": EventSpec("complete", EVERYONE, CompletePayload, may=_only_assignee, apply=_finish),
        "cancel": EventSpec("cancel", SUPERVISORS, CancelPayload, apply=_finish),
    },
)
