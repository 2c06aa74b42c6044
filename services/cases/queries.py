"""The case list: only what the caller may see, filtered and paged in SQL (one query for rows, one count)."""
import time
import weakref
from datetime import date, timedelta

from sqlalchemy import and_, false, func, or_, true
from sqlmodel import Session, select

from services.cases.nodes import case_nodes
from services.cases.panels import panel_seats
from services.cases.termination import checks_of
from services.cases.parties import case_ids_of_party, parties_of, serial_suggestions
from services.kernel.actor import Actor
from services.cases.clock import days_left
from services.cases.subject import PUBLIC_FIELDS
from store.models import Case, Court, ExtensionRequest, PartyNotice, ReassignmentRequest, User
from store.models.case import (
    CLOCK_RUNNING,
    CLOSED_STATES,
    IS_CLOSED,
    IS_PENDING,
    PENDING_STATES,
    RUNNING_STATES,
)

STATES = PENDING_STATES + CLOSED_STATES
STATE_GROUPS = {"pending": PENDING_STATES, "closed": CLOSED_STATES, "all": STATES}
SORTS = {"deadline": Case.deadline, "filed_on": Case.filed_on, "case_number": Case.case_number}
ORDERS = ("asc", "desc")
MAX_PER_PAGE = 200
COUNT_CAP = 1_000
LIST_COLUMNS = (*(getattr(Case, name) for name in PUBLIC_FIELDS), Case.id, Case.state, Case.version,
                User.display_name.label("lead_judge_name"))
"""A list row is read as plain columns: building ORM objects cost more than the query itself."""


COURT_TREE_TTL = 60.0  # seconds a process trusts its copy of the court tree
_court_trees: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> (read at, tree)


def court_tree(session: Session) -> tuple[tuple[int, str], ...]:
    """Every court's (id, path) in the session's database, re-read at most once a minute: the
    tree changes a few times a year, and reading it on every list request costs as much as the
    page's own query."""
    engine = session.get_bind()
    read_at, tree = _court_trees.get(engine, (float("-inf"), ()))
    if time.monotonic() - read_at > COURT_TREE_TTL:
        tree = tuple(session.exec(select(Court.id, Court.path)).all())
        _court_trees[engine] = (time.monotonic(), tree)
    return tree


def visibility(session: Session, actor: Actor):
    """Actor.can_see as a WHERE clause on the case's own columns.

    Subtree grants are resolved to court ids here, so the case query needs no join and can
    walk an index; a grant over the whole tree adds no clause."""
    if actor.is_system:
        return true()
    whole_courts = {g.court_id for g in actor.grants if g.division_id is None}
    subtree_paths = tuple(g.court_path for g in actor.grants if g.include_subtree)
    if subtree_paths:
        tree = court_tree(session)
        below = {court_id for court_id, path in tree if path.startswith(subtree_paths)}
        if len(below) == len(tree):
            return true()
        whole_courts |= below
    clauses = [Case.court_id.in_(sorted(whole_courts))] if whole_courts else []
    clauses += [and_(Case.court_id == g.court_id, Case.division_id == g.division_id)
                for g in actor.grants if g.division_id is not None and g.court_id not in whole_courts]
    return or_(*clauses) if clauses else false()


def _states(state) -> tuple[str, ...]:
    """A state, a group name (pending, closed, all) or a list of states."""
    if isinstance(state, (list, tuple, set)):
        return tuple(state)
    return STATE_GROUPS.get(state, (state,))


def _filters(session, actor: Actor, today: date, court_id, division_id, judge_id, state, days_left_max,
             days_left_min, filed_before=None) -> list:
    where = [visibility(session, actor)]
    if filed_before is not None:
        where.append(Case.filed_on < filed_before)
    if court_id is not None:
        where.append(Case.court_id == court_id)
    if division_id is not None:
        where.append(Case.division_id == division_id)
    if judge_id is not None:
        where.append(Case.lead_judge_id == judge_id)
    states = _states(state)
    if days_left_max is not None or days_left_min is not None:
        # only a running clock has days left: closed cases and stopped clocks match no days-left range
        states = tuple(s for s in states if s in RUNNING_STATES)
        where.append(CLOCK_RUNNING)
        whole_group = RUNNING_STATES
    elif set(states) <= set(PENDING_STATES):
        where.append(IS_PENDING)
        whole_group = PENDING_STATES
    elif set(states) <= set(CLOSED_STATES):
        where.append(IS_CLOSED)
        whole_group = CLOSED_STATES
    else:
        whole_group = STATES
    if not states:
        where.append(false())
    elif set(states) != set(whole_group):  # the partial indexes' own condition is there; narrow it further
        where.append(Case.state.in_(states) if len(states) != 1 else Case.state == states[0])
    if days_left_max is not None:
        where.append(Case.deadline <= today + timedelta(days=days_left_max))
    if days_left_min is not None:
        where.append(Case.deadline >= today + timedelta(days=days_left_min))
    return where


def _ordering(sort: str, order: str) -> list:
    """The id breaks ties so pages never overlap."""
    column = SORTS[sort]
    return [column.asc(), Case.id.asc()] if order == "asc" else [column.desc(), Case.id.desc()]


def _page(session, where: list, sort: str, order: str, offset: int, limit: int) -> list:
    """One page of rows (LIST_COLUMNS). Cases without a deadline (no time limit) come after the
    others in either order: two index-ordered queries instead of one `IS NULL` sort key, which no index serves."""
    def rows(extra, ordering, skip, take):
        stmt = (select(*LIST_COLUMNS).outerjoin(User, User.id == Case.lead_judge_id)
                .where(*where, *extra).order_by(*ordering).offset(skip).limit(take))
        return list(session.exec(stmt).all())

    if sort != "deadline":
        return rows([], _ordering(sort, order), offset, limit)
    dated = rows([Case.deadline.is_not(None)], _ordering(sort, order), offset, limit)
    if len(dated) == limit:
        return dated
    if dated:  # the dated cases ran out on this page
        n_dated = offset + len(dated)
    else:
        n_dated = count_cases(session, [*where, Case.deadline.is_not(None)], capped=False)[0]
    undated_order = [Case.id.asc() if order == "asc" else Case.id.desc()]
    return dated + rows([Case.deadline.is_(None)], undated_order, max(0, offset - n_dated), limit - len(dated))


def count_cases(session: Session, where: list, capped: bool = True) -> tuple[int, bool]:
    """The number of matching cases, counted up to COUNT_CAP unless not `capped`: (count, exact).

    A province-wide list matches up to a million rows; counting them all on every page
    costs more than the page itself, and nobody pages through ten thousand cases."""
    if not capped:
        return int(session.exec(select(func.count()).select_from(Case).where(*where)).one()), True
    first = select(Case.id).where(*where).limit(COUNT_CAP + 1).subquery()
    n = int(session.exec(select(func.count()).select_from(first)).one())
    return min(n, COUNT_CAP), n <= COUNT_CAP


def list_cases(session: Session, actor: Actor, *, court_id: int | None = None, division_id: int | None = None,
               judge_id: int | None = None, state: str | list[str] | None = "pending",
               days_left_max: int | None = None, days_left_min: int | None = None, sort: str = "deadline",
               order: str = "asc", page: int = 1, per_page: int = 50, today: date,
               filed_before: date | None = None) -> tuple[list[dict], int, bool]:
    """Visible cases as dicts (LIST_COLUMNS + days_left: what case_public shows, with id, state, days_left, lead_judge_name), the count and whether the
    count is exact (see count_cases). `state` is a state, a group (pending — the default —, closed, all) or a list."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    if order not in ORDERS:
        raise ValueError("order must be asc or desc")
    page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
    where = _filters(session, actor, today, court_id, division_id, judge_id, state or "all", days_left_max,
                     days_left_min, filed_before)
    rows = [{**row._mapping, "days_left": days_left(row, today)}
            for row in _page(session, where, sort, order, (page - 1) * per_page, per_page)]
    total, exact = count_cases(session, where)
    return rows, total, exact


def find_cases(session: Session, actor: Actor, text: str, limit: int = 50) -> tuple[list[Case], Case | None]:
    """Visible cases whose 案号 contains `text` (full or partial, e.g. 辽0102民初16) or with a party of that name,
    and the one it names, if exactly one is named: the whole number, or the only one ending in `text` + 号."""
    text = text.strip()
    if not text:
        return [], None
    found = or_(Case.case_number.contains(text, autoescape=True), Case.id.in_(case_ids_of_party(text)))
    hits = list(session.exec(select(Case).where(visibility(session, actor), found)
                             .order_by(Case.filed_on.desc(), Case.id.desc()).limit(limit)).all())
    named = [c for c in hits if c.case_number == text or c.case_number.endswith(f"{text}号")]
    if len(named) == 1:
        return hits, named[0]
    return hits, hits[0] if len(hits) == 1 else None


def my_cases(session: Session, actor: Actor, today: date, limit: int = MAX_PER_PAGE) -> list[dict]:
    """The caller's own cases as lead judge: pending first (by deadline), then the closed ones."""
    if actor.user_id is None:
        return []
    pending = session.exec(select(func.count()).select_from(Case).where(
        Case.lead_judge_id == actor.user_id, Case.state.in_(PENDING_STATES))).one()
    rows, _, _ = list_cases(session, actor, judge_id=actor.user_id, state="pending", sort="deadline",
                            per_page=limit, today=today)
    if pending < limit:
        closed, _, _ = list_cases(session, actor, judge_id=actor.user_id, state="closed",
                                  sort="filed_on", order="desc", per_page=limit - len(rows), today=today)
        rows += closed
    return rows


def judge_names(session: Session, rows: list[dict]) -> list[tuple[int, str]]:
    """The lead judges of the cases listed, for the judge filter."""
    ids = sorted({r["lead_judge_id"] for r in rows if r["lead_judge_id"]})
    if not ids:
        return []
    return [(u.id, u.display_name) for u in session.exec(select(User).where(User.id.in_(ids))).all()]


def case_record(session: Session, case: Case) -> dict:
    """What the case page shows beside the subject: the lead judge's name, the notices to the parties
    (newest first), the extension and reassignment requests (in order), the process nodes (by planned day), the
    panel's seats and why it sits with people's assessors."""
    judge = session.get(User, case.lead_judge_id) if case.lead_judge_id else None
    return {
        "judge_name": judge.display_name if judge else "",
        "panel": panel_seats(session, case),
        "assessor_ground": case.assessor_ground,
        "notices": list(session.exec(select(PartyNotice).where(PartyNotice.case_id == case.id)
                                     .order_by(PartyNotice.at.desc(), PartyNotice.id.desc())).all()),
        "extensions": list(session.exec(select(ExtensionRequest).where(ExtensionRequest.case_id == case.id)
                                        .order_by(ExtensionRequest.id)).all()),
        "reassignments": list(session.exec(select(ReassignmentRequest).where(ReassignmentRequest.case_id == case.id)
                                           .order_by(ReassignmentRequest.id)).all()),
        "nodes": case_nodes(session, case.id),
        "parties": parties_of(session, case.id),
        "checks": checks_of(session, case.id),
        "serial": serial_suggestions(session, case),
    }
