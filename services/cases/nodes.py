"""流程节点管理 (SPEC §1.3) and 裁判文书上网 (SPEC §1.5): a case's nodes planned when their trigger happens,
recorded when done, and flagged overdue once by the daily monitor.

Each open node has a task (`case_node`) due on its planned day for whoever holds it: the chase of every
task's due date (services/kernel/chase.py, monitoring.yaml `chase.case_node`) reminds before, notices it
overdue and escalates it; the sweep here flags the node itself late (`flagged_on`), once, set-based on the
open nodes' partial index."""
from datetime import date, datetime

import i18n
from policies.nodes import PUBLICATION, planned_on
from sqlalchemy import and_, func, select, text, update
from services.kernel.chase import close_supervision_of_finished
from services.kernel.errors import Refused
from services.kernel.policy import calendar, policy
from services.kernel.policy import Scope
from services.kernel.sweeps import MonitorResult
from services.kernel.tasks import open_task
from store.models import Case, CaseNode, Task
from store.models.node import OPEN_UNFLAGGED

TASK_KIND = "case_node"
AFTER_DECISION = ("decided", "took_effect", "closed")
"""Triggers whose nodes outlive the case's end (delivering the judgment, publishing it, archiving)."""


def plan_nodes(session, case: Case, trigger: str, on: date, now: datetime) -> list[CaseNode]:
    """Plan the nodes `trigger` starts for the case's procedure; a node already open (a hearing put off to
    another day) moves to the new plan, its task's due date with it."""
    standards = policy(session, case.court_id, "nodes").triggered_by(case.procedure, trigger)
    days = calendar(session, case.court_id)
    planned = []
    for code, standard in standards.items():
        node = _open_node(session, case.id, code) or CaseNode(case_id=case.id, court_id=case.court_id,
                                                              division_id=case.division_id, node=code,
                                                              source=standard.source, trigger_on=on,
                                                              planned_on=on)
        node.trigger_on, node.planned_on = on, planned_on(standard, on, days)
        session.add(node)
        session.flush()
        _hold(session, case, node, standard.holder, now)
        planned.append(node)
    return planned


def _open_node(session, case_id: int, code: str) -> CaseNode | None:
    return session.exec(select(CaseNode).where(CaseNode.case_id == case_id, CaseNode.node == code,
                                               CaseNode.done_on.is_(None))).scalars().first()


def _hold(session, case: Case, node: CaseNode, holder: str, now: datetime) -> None:
    """The node's task, due on its planned day: the lead judge's (the division's clerks' before one is
    assigned), or the role's the standard names."""
    if node.task_id is not None:
        session.exec(update(Task).where(Task.id == node.task_id, Task.state == "open")
                     .values(due_on=node.planned_on, chase_stage=0, version=Task.version + 1))
        return
    person = case.lead_judge_id if holder == "lead_judge" else None
    role = None if person else ("clerk" if holder == "lead_judge" else holder)
    key = f"node:{node.id}"
    open_task(session, kind=TASK_KIND, title=f"{i18n.gettext(f'node.{node.node}', 'zh_CN')}：{case.case_number}",
              subject_kind="cases", subject_id=case.id, court_id=case.court_id, division_id=case.division_id,
              assignee_user_id=person, assignee_role=role, due_on=node.planned_on, at=now, dedupe_key=key,
              context={"node": node.node, "node_id": node.id})
    node.task_id = session.exec(select(Task.id).where(Task.dedupe_key == key)).scalar_one()
    session.add(node)


def record_node(session, case: Case, code: str, on: date, actor_id: int | None, now: datetime, **values) -> CaseNode:
    """The node done on `on`: late when after its planned day (or already flagged overdue); its task done."""
    node = _open_node(session, case.id, code)
    if node is None:
        raise Refused("refused.cases.no_open_node", node=i18n.label("node", code))
    node.done_on, node.recorded_by = on, actor_id
    node.late = node.late or on > node.planned_on
    for name, value in values.items():
        setattr(node, name, value)
    session.add(node)
    _finish_task(session, node, actor_id, now, "done")
    return node


def _finish_task(session, node: CaseNode, actor_id: int | None, now: datetime, state: str) -> None:
    if node.task_id is None:
        return
    session.exec(update(Task).where(Task.id == node.task_id, Task.state == "open")
                 .values(state=state, done_at=now, done_by=actor_id, version=Task.version + 1))
    close_supervision_of_finished(session, now, [node.task_id])


def complete_by_event(session, case: Case, event: str, on: date, actor_id: int | None, now: datetime) -> None:
    """The nodes the case's own event records done (filing, assignment, archiving)."""
    standards = policy(session, case.court_id, "nodes").standards(case.procedure)
    for code, standard in standards.items():
        if standard.done_by == event and _open_node(session, case.id, code) is not None:
            record_node(session, case, code, on, actor_id, now)


def drop_open_nodes(session, case: Case, on: date, now: datetime) -> None:
    """The case ended (closed, withdrawn, mediated, transferred): the nodes of the trial still open are no
    longer anyone's to do; delivering, publishing and archiving still are."""
    standards = policy(session, case.court_id, "nodes").standards(case.procedure)
    for node in session.exec(select(CaseNode).where(CaseNode.case_id == case.id,
                                                    CaseNode.done_on.is_(None))).scalars().all():
        standard = standards.get(node.node)
        if standard is not None and standard.trigger in AFTER_DECISION:
            continue
        node.done_on, node.note = on, "dropped"
        session.add(node)
        _finish_task(session, node, None, now, "cancelled")


def drop_node(session, case_id: int, code: str, on: date, now: datetime) -> None:
    """An open node no longer anyone's to do (a resumed case's archiving)."""
    node = _open_node(session, case_id, code)
    if node is not None:
        node.done_on, node.note = on, "dropped"
        session.add(node)
        _finish_task(session, node, None, now, "cancelled")


def case_nodes(session, case_id: int) -> list[CaseNode]:
    """The node timeline of the case page: by planned day."""
    return list(session.exec(select(CaseNode).where(CaseNode.case_id == case_id)
                             .order_by(CaseNode.planned_on, CaseNode.id)).scalars().all())


def sweep_nodes(session, result: MonitorResult, policy_, as_of: date, now: datetime, scope: Scope) -> None:
    """Flag each node past its planned day and not done as late, once (`flagged_on`); the counts go to
    `result.extra` as nodes_overdue and publications_overdue. Reads only the open, unflagged nodes' index."""
    where = and_(text(OPEN_UNFLAGGED), CaseNode.planned_on < as_of,
                 scope.where(CaseNode.court_id, CaseNode.division_id))
    is_publication = CaseNode.node == PUBLICATION
    counts = dict(session.exec(select(is_publication, func.count()).where(where).group_by(is_publication)).all())
    session.exec(update(CaseNode).where(where).values(flagged_on=as_of, late=True)
                 .execution_options(synchronize_session=False))
    for name, n in (("nodes_overdue", counts.get(False, 0)), ("publications_overdue", counts.get(True, 0))):
        result.extra[name] = result.extra.get(name, 0) + n
