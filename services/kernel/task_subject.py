"""Tasks as a subject: the assignee completes, a supervisor cancels; a task offered to a role is claimed
and given back, assigned or reassigned to a named person, its priority set. Every event is traced."""
from typing import Literal

from pydantic import Field
from sqlalchemy import and_, false, or_, select

from policies.roles import LEADERS
from services.kernel.bounds import Id
from services.kernel.chase import close_supervision_of_finished
from services.kernel.clock import local_today
from services.kernel.errors import Refused
from store.outbox import enqueue
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.kernel.task_operations import eligible_people, may_assign, refuse_unless_holds, roles_for
from statemachines.task import TaskMachine
from store.models import Task

SUPERVISORS = LEADERS | {"trial_office"}


class CompletePayload(Payload):
    note: str = Field(default="", max_length=2000, description="备注")


class CancelPayload(Payload):
    reason: str = Field(min_length=2, max_length=500, description="理由")


class AssignPayload(Payload):
    user_id: Id = Field(description="指派给（人员编号）")
    reason: str = Field(min_length=2, max_length=500, description="理由")


class PriorityPayload(Payload):
    priority: Literal["normal", "urgent"] = Field(description="优先级")


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
    cmd.session.flush()
    close_supervision_of_finished(cmd.session, cmd.now, [task.id])


def _may_claim(session, actor, task, now):
    from services.kernel.access import court_path

    if task.assignee_role and task.assignee_role not in actor.roles_at(
            task.court_id, court_path(session, task.court_id), task.division_id):
        return Refused("refused.kernel.you_lack_task_role", role=task.assignee_role)
    return None


def _claim(cmd, task, data):
    task.assignee_user_id = cmd.actor.user_id


def _may_unclaim(session, actor, task, now):
    if task.assignee_user_id != actor.user_id:
        return Refused("refused.kernel.only_claimer_gives_back")
    return None


def _unclaim(cmd, task, data):
    task.assignee_user_id = None


def _may_assign(session, actor, task, now):
    return may_assign(session, actor, task.court_id, task.division_id)


def _assign(cmd, task, data):
    if data.user_id == task.assignee_user_id:
        raise Refused("refused.kernel.task_already_belongs")
    today = local_today(cmd.now)
    needed = roles_for(cmd.session, task.assignee_role, task.assignee_user_id, task.court_id, task.division_id,
                       on=today)
    refuse_unless_holds(cmd.session, data.user_id, needed, task.court_id, task.division_id, on=today)
    task.assignee_user_id, task.delegated_from_user_id = data.user_id, None
    enqueue(cmd.session, kind="task_assigned", recipients=[data.user_id],
            dedupe_key=f"task_assigned:{task.id}:v{task.version}", at=cmd.now, context={"title": task.title, "due_on": task.due_on or "—"}, court_id=task.court_id,
            subject_kind=task.subject_kind, subject_id=task.subject_id)


def _prioritise(cmd, task, data):
    task.priority = data.priority


def task_public(task: Task) -> dict:
    return {"title": task.title, "kind_of_task": task.kind, "subject": f"{task.subject_kind}/{task.subject_id}",
            "due_on": task.due_on, "assignee_user_id": task.assignee_user_id, "assignee_role": task.assignee_role,
            "escalation_level": task.escalation_level, "priority": task.priority,
            "delegated_from_user_id": task.delegated_from_user_id}


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


def sees_where(session, actor):
    """sees in SQL: a task about a need-to-know subject by that subject's own rule in SQL."""
    from services.kernel.registry import subject_kind

    subjects = [and_(Task.subject_kind == name,
                     Task.subject_id.in_(select(kind.model.id).where(kind.seen_where(session, actor))))
                for name in NEED_TO_KNOW for kind in [subject_kind(name)]]
    mine = Task.assignee_user_id == actor.user_id if actor.user_id is not None else false()
    return or_(mine, and_(actor.covering(Task.court_id, Task.division_id),
                          or_(Task.subject_kind.not_in(NEED_TO_KNOW), *subjects)))


EVERYONE = frozenset({"judge", "assistant", "clerk", "filing_clerk", "division_chief", "vice_president", "president",
                      "trial_office", "inspection", "personnel", "committee"})

TASKS = SubjectKind(
    name="tasks", model=Task, machine=TaskMachine, public=task_public, title=lambda t: t.title, sees=sees, sees_where=sees_where,
    events={
        "complete": EventSpec("complete", EVERYONE, CompletePayload, may=_only_assignee, apply=_finish),
        "cancel": EventSpec("cancel", SUPERVISORS, CancelPayload, apply=_finish),
        "claim": EventSpec("claim", EVERYONE, may=_may_claim, apply=_claim),
        "unclaim": EventSpec("unclaim", EVERYONE, may=_may_unclaim, apply=_unclaim),
        "assign": EventSpec("assign", SUPERVISORS, AssignPayload, may=_may_assign, apply=_assign,
                            choices=lambda session, task, on: {"user_id": eligible_people(session, task, on)}),
        "prioritise": EventSpec("prioritise", SUPERVISORS, PriorityPayload, may=_may_assign, apply=_prioritise),
    },
)
