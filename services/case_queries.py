"""The case list: only what the caller may see, filtered and paged in SQL (one query for rows, one count)."""
from datetime import date, timedelta

from sqlalchemy import and_, false, func, or_, true
from sqlmodel import Session, select

from services.actor import Actor
from services.case_clock import days_left
from services.case_subject import case_public
from store.models import Case, Court, User
from store.models.case import CLOSED_STATES, PENDING_STATES

STATES = PENDING_STATES + CLOSED_STATES
SORTS = {"deadline": Case.deadline, "filed_on": Case.filed_on, "case_number": Case.case_number}
ORDERS = ("asc", "desc")
MAX_PER_PAGE = 200


def visibility(actor: Actor):
    """Actor.can_see as a WHERE clause over Case joined to Court (for the subtree grants)."""
    if actor.is_system:
        return true()
    clauses = []
    for g in actor.grants:
        if g.include_subtree:
            clauses.append(Court.path.startswith(g.court_path))
        if g.division_id is None:
            clauses.append(Case.court_id == g.court_id)
        else:
            clauses.append(and_(Case.court_id == g.court_id, Case.division_id == g.division_id))
    return or_(*clauses) if clauses else false()


def _filters(actor: Actor, today: date, court_id, division_id, judge_id, state, days_left_max, days_left_min) -> list:
    where = [visibility(actor)]
    if court_id is not None:
        where.append(Case.court_id == court_id)
    if division_id is not None:
        where.append(Case.division_id == division_id)
    if judge_id is not None:
        where.append(Case.lead_judge_id == judge_id)
    if state is not None:
        where.append(Case.state.in_(state) if isinstance(state, (list, tuple, set)) else Case.state == state)
    if days_left_max is not None or days_left_min is not None:
        # a stopped clock has no days left: it matches no days-left range
        where += [Case.deadline.is_not(None), Case.clock_stopped.is_(False)]
    if days_left_max is not None:
        where.append(Case.deadline <= today + timedelta(days=days_left_max))
    if days_left_min is not None:
        where.append(Case.deadline >= today + timedelta(days=days_left_min))
    return where


def list_cases(session: Session, actor: Actor, *, court_id: int | None = None, division_id: int | None = None,
               judge_id: int | None = None, state: str | list[str] | None = None, days_left_max: int | None = None,
               days_left_min: int | None = None, sort: str = "deadline", order: str = "asc", page: int = 1,
               per_page: int = 50, today: date) -> tuple[list[dict], int]:
    """Visible cases as dicts (case_public + id, state, days_left, lead_judge_name) and the total count."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    if order not in ORDERS:
        raise ValueError("order must be asc or desc")
    page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
    where = _filters(actor, today, court_id, division_id, judge_id, state, days_left_max, days_left_min)
    column = SORTS[sort]
    ordering = [column.asc().nulls_last() if order == "asc" else column.desc().nulls_last(),
                Case.id.asc() if order == "asc" else Case.id.desc()]
    stmt = (select(Case, User.display_name).join(Court, Court.id == Case.court_id)
            .outerjoin(User, User.id == Case.lead_judge_id).where(*where)
            .order_by(*ordering).offset((page - 1) * per_page).limit(per_page))
    rows = [{**case_public(case), "id": case.id, "state": case.state, "version": case.version,
             "days_left": days_left(case, today), "lead_judge_name": name}
            for case, name in session.exec(stmt).all()]
    total = session.exec(select(func.count()).select_from(Case).join(Court, Court.id == Case.court_id)
                         .where(*where)).one()
    return rows, int(total)


def my_cases(session: Session, actor: Actor, today: date, limit: int = MAX_PER_PAGE) -> list[dict]:
    """The caller's own cases as lead judge: pending first (by deadline), then the closed ones."""
    if actor.user_id is None:
        return []
    pending = session.exec(select(func.count()).select_from(Case).where(
        Case.lead_judge_id == actor.user_id, Case.state.in_(PENDING_STATES))).one()
    rows, _ = list_cases(session, actor, judge_id=actor.user_id, state=list(PENDING_STATES), sort="deadline",
                         per_page=limit, today=today)
    if pending < limit:
        closed, _ = list_cases(session, actor, judge_id=actor.user_id, state=list(CLOSED_STATES),
                               sort="filed_on", order="desc", per_page=limit - len(rows), today=today)
        rows += closed
    return rows
