"""The parties and process nodes of the seeded cases: the cases pending or closed in the last 100 days get two
parties each (a party of several, now and then: a series). Their nodes are planned as the services plan them, by
trigger (nodes.yaml): a pending case's filing, its assignment (the panel fixed: the parties told of it; an
enforcement case's applicant asked for the debtor's property, 2006 rules art. 5) and, for an enforcement case, the
applicant's answer (property leads to check or an investigation asked for, art. 6); a case closed in the last 100
days its closing (archiving) and, for a judgment, its taking effect (publication). Planned with the policy's
arithmetic (policies/nodes.planned_on, cached per day); most done on time, some late, a few still open, and each
open node with its `case_node` task for whoever holds it, as the services would have left them."""
import random
from collections import namedtuple
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Iterable, Iterator

import i18n
from sqlalchemy import or_, select
from sqlmodel import Session

from policies.calendar import load_calendar
from policies.loading import DEFAULTS_DIR, load_yaml_model
from policies.nodes import NodePolicy, planned_on
from services.demo.data import assigned_on, chunks
from services.kernel.clock import local_date
from store.models import Case, CaseNode, Party, Task
from store.models.case import IS_PENDING, PENDING_STATES

RECENT_DAYS = 100
LEADS_GIVEN = 0.6
"""Of the enforcement cases whose applicant has answered, those who gave the debtor's property or leads to it (2006
rules art. 6 ¶1); the others asked the court to investigate (¶2)."""
APPLICANT_ANSWERS = ("property_leads_received", "investigation_requested")


RECORD_FIELDS = ("id", "case_number", "court_id", "division_id", "lead_judge_id", "procedure", "state", "filed_on",
                 "decided_on", "closed_on", "closing_method")
CaseFacts = namedtuple("CaseFacts", RECORD_FIELDS)
"""What the records of a case are drawn from: its row's fields, as read back or as just made."""


def seed_case_records(session: Session, now: datetime, rng: random.Random, insert_rows, first_case: int) -> int:
    """Insert the parties, the nodes and their open tasks of the cases from id `first_case` on (the province just
    loaded), as the database holds them now; returns the nodes inserted."""
    session.flush()  # the tasks the session holds get their ids before ours are numbered after them
    conn = session.connection()
    today = local_date(now)
    rows = conn.execute(select(*(getattr(Case, f) for f in RECORD_FIELDS))
                        .where(Case.id >= first_case,
                               or_(IS_PENDING, Case.closed_on >= today - timedelta(days=RECENT_DAYS)))).all()
    made = 0
    for tasks, nodes, parties in case_records(rows, now, rng, next_task_id(session)):
        insert_rows(session, Task, tasks)
        insert_rows(session, CaseNode, nodes)
        insert_rows(session, Party, parties)
        made += len(nodes)
    return made


def next_task_id(session: Session) -> int:
    return (session.connection().execute(select(Task.id).order_by(Task.id.desc()).limit(1)).scalar() or 0) + 1


def has_records(case: dict, today: date) -> bool:
    """A case the records are made for: pending, or closed in the last RECENT_DAYS days."""
    closed = case["closed_on"]
    return case["state"] in PENDING_STATES or (closed is not None and closed >= today - timedelta(days=RECENT_DAYS))


def case_records(cases: Iterable, now: datetime, rng: random.Random, first_task: int,
                 size: int = 20_000) -> Iterator[tuple[list[dict], list[dict], list[dict]]]:
    """The (tasks, nodes, parties) rows of the cases (CaseFacts, or rows with those fields), `size` cases at a time:
    the tasks numbered from `first_task`, and inserted first, since the nodes refer to them."""
    today = local_date(now)
    standards, days = load_yaml_model(DEFAULTS_DIR / "nodes.yaml", NodePolicy), load_calendar()

    @lru_cache(maxsize=None)
    def plan(procedure: str, trigger: str, on: date) -> list[tuple]:
        """(code, planned day, source, holder) of each node the trigger plans on `on`."""
        return [(code, planned_on(s, on, days), s.source, s.holder)
                for code, s in standards.triggered_by(procedure, trigger).items()]

    @lru_cache(maxsize=None)
    def answers(procedure: str) -> bool:
        return any(standards.triggered_by(procedure, t) for t in APPLICANT_ANSWERS)

    task_id = first_task
    for chunk in chunks(cases, size):
        nodes, tasks, parties = [], [], []
        for case in chunk:
            parties += _parties(case, rng)
            effective = case.procedure in standards.effective_on_decision
            for trigger, on in _triggers(case, today, rng, effective, answers(case.procedure)):
                for code, planned, source, holder in plan(case.procedure, trigger, on):
                    _node(nodes, tasks, case, code, on, planned, source, holder, now, rng, task_id + len(tasks))
        task_id += len(tasks)
        yield tasks, nodes, parties


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


def _triggers(case, today: date, rng, effective: bool, answered: bool):
    """(trigger, day) of what happened to the case, as the services see it happen."""
    if case.state in PENDING_STATES:
        yield "filed", case.filed_on
        if case.state == "filed":
            return
        fixed = assigned_on(case.filed_on, today)
        yield "panel_fixed", fixed
        answer_on = fixed + timedelta(days=rng.randint(2, 15))
        if answered and answer_on <= today:
            yield APPLICANT_ANSWERS[rng.random() >= LEADS_GIVEN], answer_on
    elif case.closed_on is not None and case.state != "transferred":  # the court it goes to archives it
        yield "closed", case.closed_on
        # a judgment takes effect when given (final instance), else when the appeal period has passed
        took_effect = case.decided_on if effective else case.closed_on + timedelta(days=16)
        if case.closing_method == "判决" and took_effect <= today:
            yield "took_effect", took_effect


def _node(nodes, tasks, case, code, on, planned, source, holder, now, rng, task_id) -> None:
    today = local_date(now)
    done = _done_on(case, code, planned, today, rng)
    row = dict(case_id=case.id, court_id=case.court_id, division_id=case.division_id, node=code, source=source,
               trigger_on=on, planned_on=planned, done_on=done, late=bool(done and done > planned),
               flagged_on=None, task_id=None, recorded_by=case.lead_judge_id if done else None, note="",
               reference=f"公布-{case.id}" if done and code == "published" else "", exemption_ground=None,
               approved_by=None)
    if done is None:
        person = case.lead_judge_id if holder == "lead_judge" else None  # as services/cases/nodes._hold gives it
        row["task_id"] = task_id
        tasks.append(dict(id=task_id, kind="case_node", title=f"{i18n.gettext(f'node.{code}', 'zh_CN')}：{case.case_number}",
                          subject_kind="cases", subject_id=case.id, court_id=case.court_id,
                          division_id=case.division_id, assignee_user_id=person,
                          assignee_role=None if person else ("clerk" if holder == "lead_judge" else holder),
                          due_on=planned, state="open", dedupe_key=f"seed-node:{case.id}:{code}", escalation_level=0,
                          context={"node": code}, priority="normal", chase_stage=0, version=1, created_at=now))
    nodes.append(row)


def _done_on(case, code, planned, today, rng) -> date | None:
    """Assignment done on the case's assignment day; archiving with its state; the rest done when past, 1 in 10
    late; a node due within the last few days is left open 1 time in 5 (the next day's monitor flags it)."""
    if code == "assigned":
        return None if case.state == "filed" else assigned_on(case.filed_on, today)
    if code == "archived":
        return min(today, planned - timedelta(days=rng.randrange(30))) if case.state == "archived" else None
    if planned >= today - timedelta(days=5):
        return None if rng.random() < 0.2 or planned >= today else planned - timedelta(days=1)
    late = rng.random() < 0.1
    return min(today, planned + timedelta(days=rng.randrange(1, 9))) if late else planned - timedelta(days=1)
