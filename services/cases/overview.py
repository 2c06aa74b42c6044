"""The court overview: per visible court, pending cases, overdue, due soon, open tasks."""
from datetime import date, timedelta

from sqlalchemy import case as when, func, or_
from sqlmodel import Session, select

from services.kernel.actor import Actor
from store.models import Case, Court, Task
from store.models.case import PENDING_STATES


def visible_courts(session: Session, actor: Actor) -> list[Court]:
    if actor.is_system:
        return list(session.exec(select(Court).order_by(Court.path)).all())
    clauses = [Court.id == g.court_id for g in actor.grants]
    clauses += [Court.path.startswith(g.court_path) for g in actor.grants if g.include_subtree]
    return list(session.exec(select(Court).where(or_(*clauses)).order_by(Court.path)).all()) if clauses else []


def court_overview(session: Session, actor: Actor, today: date) -> list[dict]:
    courts = visible_courts(session, actor)
    ids = [c.id for c in courts]
    soon = today + timedelta(days=30)
    stmt = (select(Case.court_id, func.count(),
                   func.sum(when((Case.deadline < today, 1), else_=0)),
                   func.sum(when(((Case.deadline >= today) & (Case.deadline <= soon), 1), else_=0)))
            .where(Case.court_id.in_(ids), Case.state.in_(PENDING_STATES)).group_by(Case.court_id))
    counts = {row[0]: row[1:] for row in session.exec(stmt).all()}
    tasks = dict(session.exec(select(Task.court_id, func.count()).where(Task.court_id.in_(ids), Task.state == "open")
                              .group_by(Task.court_id)).all())
    return [{"court": c, "pending": counts.get(c.id, (0, 0, 0))[0] or 0, "overdue": counts.get(c.id, (0, 0, 0))[1] or 0,
             "due_30": counts.get(c.id, (0, 0, 0))[2] or 0, "open_tasks": tasks.get(c.id, 0)} for c in courts]
