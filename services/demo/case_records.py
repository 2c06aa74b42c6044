"""The parties and process nodes of the province data set: the cases pending or closed in the last 100 days
get two parties each (a party of several, now and then: a series). Their nodes: each pending case's nodes of filing and assignment, each case
closed in the last 100 days its archiving node, each judgment of those its publication node. Planned with the
policy's arithmetic (policies/nodes.planned_on, cached per day); most done on time, some late, a few still
open, and each open node with its `case_node` task, as the services would have left them."""
import random
from datetime import date, datetime, timedelta
from functools import lru_cache

import i18n
from sqlalchemy import or_, select
from sqlmodel import Session

from policies.calendar import load_calendar
from policies.loading import DEFAULTS_DIR, load_yaml_model
from policies.nodes import NodePolicy, planned_on
from services.kernel.clock import local_date
from store.models import Case, CaseNode, Party, Task
from store.models.case import IS_PENDING

RECENT_DAYS = 100


def seed_case_records(session: Session, now: datetime, rng: random.Random, insert_rows, first_case: int) -> int:
    """Insert the parties, the nodes and their open tasks of the cases from id `first_case` on (the province just
    loaded); returns the nodes inserted."""
    today = local_date(now)
    standards, days = load_yaml_model(DEFAULTS_DIR / "nodes.yaml", NodePolicy), load_calendar()

    @lru_cache(maxsize=None)
    def plan(procedure: str, code: str, on: date):
        standard = standards.standards(procedure).get(code)
        return standard and (planned_on(standard, on, days), standard.source)

    conn = session.connection()
    first_task = (conn.execute(select(Task.id).order_by(Task.id.desc()).limit(1)).scalar() or 0) + 1
    nodes, tasks, parties = [], [], []
    rows = conn.execute(select(Case.id, Case.case_number, Case.court_id, Case.division_id, Case.lead_judge_id,
                               Case.procedure, Case.state, Case.filed_on, Case.closed_on, Case.closing_method)
                        .where(Case.id >= first_case,
                               or_(IS_PENDING, Case.closed_on >= today - timedelta(days=RECENT_DAYS))))
    for case in rows:
        parties += _parties(case, rng)
        for code, on in _triggers(case):
            found = plan(case.procedure, code, on)
            if found:
                _node(nodes, tasks, case, code, on, *found, now, rng, first_task + len(tasks))
    insert_rows(session, Task, tasks)
    insert_rows(session, CaseNode, nodes)
    insert_rows(session, Party, parties)
    return len(nodes)


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
LENDERS = [f"{city}某某{kind}" for city in ("沈阳", "大连", "鞍山", "抚顺") for kind in ("银行股份有限公司", "小额贷款有限公司")]


def _parties(case, rng) -> list[dict]:
    """A plaintiff (1 in 4 a lender of the city: their cases are the series) and a defendant, ids masked."""
    plaintiff = rng.choice(LENDERS) if rng.random() < 0.25 else _person(rng)
    rows = []
    for name, role in ((plaintiff, "plaintiff"), (_person(rng), "defendant")):
        organisation = name in LENDERS
        rows.append(dict(case_id=case.id, court_id=case.court_id, name=name, role=role,
                         kind="organisation" if organisation else "person",
                         id_number_masked="" if organisation else f"2101{'*' * 10}{rng.randrange(10000):04d}"))
    return rows


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚") for _ in range(2))


def _triggers(case):
    if case.state in ("filed", "assigned", "in_trial", "under_review", "suspended"):
        yield "assigned", case.filed_on
        yield "complaint_served", case.filed_on
        yield "enforcement_notice", case.filed_on
    elif case.closed_on is not None:
        yield "archived", case.closed_on
        if case.closing_method == "判决":
            yield "published", case.closed_on + timedelta(days=16)   # took effect: the appeal period passed


def _node(nodes, tasks, case, code, on, planned, source, now, rng, task_id) -> None:
    today = local_date(now)
    done = _done_on(case, code, planned, today, rng)
    row = dict(case_id=case.id, court_id=case.court_id, division_id=case.division_id, node=code, source=source,
               trigger_on=on, planned_on=planned, done_on=done, late=bool(done and done > planned),
               flagged_on=None, task_id=None, recorded_by=case.lead_judge_id if done else None, note="",
               reference=f"公布-{case.id}" if done and code == "published" else "", exemption_ground=None,
               approved_by=None)
    if done is None and on <= today:
        row["task_id"] = task_id
        tasks.append(dict(id=task_id, kind="case_node", title=f"{i18n.gettext(f'node.{code}', 'zh_CN')}：{case.case_number}", subject_kind="cases",
                          subject_id=case.id, court_id=case.court_id, division_id=case.division_id,
                          assignee_user_id=case.lead_judge_id, assignee_role=None if case.lead_judge_id else "clerk",
                          due_on=planned, state="open", dedupe_key=f"seed-node:{case.id}:{code}", escalation_level=0,
                          context={"node": code}, priority="normal", chase_stage=0, version=1, created_at=now))
    nodes.append(row)


def _done_on(case, code, planned, today, rng) -> date | None:
    """Assignment done with the case's; archiving with its state; the rest done when past, 1 in 10 late;
    a node due within the last few days is left open 1 time in 5 (the next day's monitor flags it)."""
    if code == "assigned":
        return None if case.state == "filed" else min(planned, case.filed_on + timedelta(days=1))
    if code == "archived":
        return min(today, planned - timedelta(days=rng.randrange(30))) if case.state == "archived" else None
    if planned >= today - timedelta(days=5):
        return None if rng.random() < 0.2 or planned >= today else planned - timedelta(days=1)
    late = rng.random() < 0.1
    return min(today, planned + timedelta(days=rng.randrange(1, 9))) if late else planned - timedelta(days=1)
