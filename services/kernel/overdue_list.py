"""挂账督办清单: the overdue and escalated tasks a supervisor answers for, with their age, who holds them and
how often they went up; and the leaders' lapses (怠于履行) recorded there.

A division chief sees their division, a vice president or president their court, the trial office its
court and every court below (its subtree grant). A task about a petition, a ladder step or an exit is
listed only to those who may see its subject (need to know), as everywhere.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, false, or_
from sqlmodel import Session, select

from policies.roles import LEADERS
from services.kernel.actor import Actor
from services.kernel.task_subject import NEED_TO_KNOW, sees
from store.models import Court, Division, SupervisionLapse, Task, User

SUPERVISING = LEADERS | {"trial_office"}
LIMIT = 2000


@dataclass
class ListedTask:
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


@dataclass
class ListedLapse:
    id: int
    leader: str
    court: str
    kind: str
    title: str
    due_on: date | None
    recorded_on: date


def supervises(actor: Actor) -> bool:
    return bool(actor.roles & SUPERVISING)


def _places(session: Session, actor: Actor, court_id: int | None):
    """SQL over (court, division) columns: where the actor's supervising grants reach (one court if named)."""
    clauses = []
    for g in actor.grants:
        if g.role not in SUPERVISING:
            continue
        if g.role == "trial_office" and g.include_subtree:
            courts = select(Court.id).where(Court.path.startswith(g.court_path))
            clauses.append(lambda court, division, courts=courts: court.in_(courts))
        elif g.division_id is not None:
            clauses.append(lambda court, division, g=g: and_(court == g.court_id, division == g.division_id))
        else:
            clauses.append(lambda court, division, g=g: court == g.court_id)

    def where(court_col, division_col):
        found = or_(*[c(court_col, division_col) for c in clauses]) if clauses else false()
        return and_(found, court_col == court_id) if court_id is not None else found
    return where


def overdue_tasks(session: Session, actor: Actor, as_of: date, court_id: int | None = None) -> list[ListedTask]:
    """Open tasks past due or escalated in the actor's reach, longest overdue first."""
    where = _places(session, actor, court_id)
    holder = User.display_name
    stmt = (select(Task, Court.name, Division.name, holder)
            .join(Court, Court.id == Task.court_id).outerjoin(Division, Division.id == Task.division_id)
            .outerjoin(User, User.id == Task.assignee_user_id)
            .where(Task.state == "open", or_(Task.due_on < as_of, Task.escalation_level > 0),
                   Task.due_on.is_not(None), where(Task.court_id, Task.division_id))
            .order_by(Task.due_on, Task.id).limit(LIMIT))
    rows = []
    for task, court, division, name in session.exec(stmt).all():
        if task.subject_kind in NEED_TO_KNOW and not sees(session, actor, task):
            continue
        rows.append(ListedTask(task.id, task.kind, task.title, court, division or "", name or task.assignee_role or "",
                               task.due_on, max(0, (as_of - task.due_on).days), task.escalation_level, task.priority,
                               task.subject_kind, task.subject_id))
    return rows


def lapses(session: Session, actor: Actor, court_id: int | None = None) -> list[ListedLapse]:
    """The lapses recorded in the actor's reach, newest first."""
    where = _places(session, actor, court_id)
    stmt = (select(SupervisionLapse, User.display_name, Court.name)
            .join(User, User.id == SupervisionLapse.user_id).join(Court, Court.id == SupervisionLapse.court_id)
            .where(where(SupervisionLapse.court_id, SupervisionLapse.division_id))
            .order_by(SupervisionLapse.recorded_on.desc(), SupervisionLapse.id.desc()).limit(LIMIT))
    return [ListedLapse(lp.id, name, court, lp.kind, lp.title, lp.due_on, lp.recorded_on)
            for lp, name, court in session.exec(stmt).all()]


CSV_HEADER = ["序号", "事项", "类型", "法院", "部门", "承办人", "期限", "逾期天数", "督办次数", "优先级"]


def as_csv(rows: list[ListedTask], lapse_rows: list[ListedLapse]) -> str:
    """The list as CSV (with a BOM so Excel reads the Chinese): the tasks, then the lapses."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out)
    w.writerow(CSV_HEADER)
    for i, r in enumerate(rows, 1):
        w.writerow([i, r.title, r.kind, r.court, r.division, r.holder, r.due_on.isoformat(), r.days_overdue,
                    r.escalations, r.priority])
    w.writerow([])
    w.writerow(["怠于履行记录", "领导", "法院", "事项", "期限", "记录日期"])
    for r in lapse_rows:
        w.writerow([r.id, r.leader, r.court, r.title, r.due_on.isoformat() if r.due_on else "",
                    r.recorded_on.isoformat()])
    return out.getvalue()
