"""The case list: only what the caller may see, filtered and paged in SQL (one query for rows, one count)."""
import time
import weakref
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import and_, bindparam, false, func, or_, true
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from services.cases.nodes import case_nodes
from services.cases.panels import panel_seats
from services.cases.termination import checks_of
from services.cases.parties import case_ids_of_party, parties_of, serial_suggestions
from services.kernel.actor import Actor
from services.cases.clock import days_until
from services.cases.subject import PUBLIC_FIELDS
from store.models import Case, Court, ExtensionRequest, PartyNotice, ReassignmentRequest, User
from store.prepared import Prepared
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


def court_tree(connection: Connection) -> tuple[tuple[int, str], ...]:
    """Every court's (id, path) in the connection's database, re-read at most once a minute: the
    tree changes a few times a year, and reading it on every list request costs as much as the
    page's own query."""
    engine = connection.engine
    read_at, tree = _court_trees.get(engine, (float("-inf"), ()))
    if time.monotonic() - read_at > COURT_TREE_TTL:
        tree = tuple((court_id, path) for court_id, path in connection.execute(select(Court.id, Court.path)))
        _court_trees[engine] = (time.monotonic(), tree)
    return tree


def _visible_courts(connection: Connection, actor: Actor) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]] | None:
    """The courts whose cases the actor sees whole and the (court, division) pairs seen in part; None for every
    court. Subtree grants are resolved to court ids here, so a case query needs no join and can walk an index."""
    if actor.is_system:
        return None
    whole_courts = {g.court_id for g in actor.grants if g.division_id is None}
    subtree_paths = tuple(g.court_path for g in actor.grants if g.include_subtree)
    if subtree_paths:
        tree = court_tree(connection)
        below = {court_id for court_id, path in tree if path.startswith(subtree_paths)}
        if len(below) == len(tree):
            return None
        whole_courts |= below
    divisions = {(g.court_id, g.division_id) for g in actor.grants
                 if g.division_id is not None and g.court_id not in whole_courts}
    return tuple(sorted(whole_courts)), tuple(sorted(divisions))


def _seen(courts: list, divisions: list):
    """Cases in these courts or (court, division) pairs: values or bound parameters."""
    clauses = [Case.court_id.in_(courts)] if courts else []
    clauses += [and_(Case.court_id == court, Case.division_id == division) for court, division in divisions]
    return or_(*clauses) if clauses else false()


def visibility(session: Session, actor: Actor):
    """Actor.can_see as a WHERE clause on the case's own columns; a grant over the whole tree adds no clause."""
    seen = _visible_courts(session.connection(), actor)
    return true() if seen is None else _seen(list(seen[0]), list(seen[1]))


def _states(state) -> tuple[str, ...]:
    """A state, a group name (pending, closed, all) or a list of states."""
    if isinstance(state, (list, tuple, set)):
        return tuple(state)
    return STATE_GROUPS.get(state, (state,))


CONDITIONS = {"running": CLOCK_RUNNING, "pending": IS_PENDING, "closed": IS_CLOSED}
"""The partial indexes' conditions (store/models/case.py), by the states they hold."""


FILTERS = {"filed_before": Case.filed_on < bindparam("filed_before"),
           "court_id": Case.court_id == bindparam("court_id"),
           "division_id": Case.division_id == bindparam("division_id"),
           "judge_id": Case.lead_judge_id == bindparam("judge_id")}
"""The optional filters of the list, each a parameter of its own name."""


@dataclass(frozen=True)
class Shape:
    """What a list's WHERE clause is made of, without its values (those are the statement's parameters): one
    statement, compiled once, serves every request of the same shape (store/prepared.py)."""
    courts: int | None  # how many courts the caller sees whole; None: every court
    divisions: int  # how many (court, division) pairs the caller sees
    filters: tuple[str, ...]  # which of filed_before, court_id, division_id, judge_id are given
    condition: str | None  # a key of CONDITIONS, or None for every state
    states: int | None  # how many states narrow the condition further (0: no state matches); None: no narrowing
    latest: bool  # days_left_max given
    earliest: bool  # days_left_min given

    def clauses(self) -> list:
        where = [true() if self.courts is None else
                 _seen([bindparam(f"court_{i}") for i in range(self.courts)],
                       [(bindparam(f"division_court_{i}"), bindparam(f"division_{i}")) for i in range(self.divisions)])]
        where += [FILTERS[name] for name in self.filters]
        if self.condition:
            where.append(CONDITIONS[self.condition])
        if self.states == 0:
            where.append(false())
        elif self.states is not None:
            where.append(Case.state == bindparam("state_0") if self.states == 1 else
                         Case.state.in_([bindparam(f"state_{i}") for i in range(self.states)]))
        if self.latest:
            where.append(Case.deadline <= bindparam("latest"))
        if self.earliest:
            where.append(Case.deadline >= bindparam("earliest"))
        return where


def _where(connection: Connection, actor: Actor, today: date, court_id, division_id, judge_id, state, days_left_max,
           days_left_min, filed_before=None) -> tuple[Shape, dict]:
    """The shape of the list's WHERE clause and the values of its parameters."""
    seen = _visible_courts(connection, actor)
    params = {}
    if seen is not None:
        params.update((f"court_{i}", court) for i, court in enumerate(seen[0]))
        for i, (court, division) in enumerate(seen[1]):
            params[f"division_court_{i}"], params[f"division_{i}"] = court, division
    given = {"filed_before": filed_before, "court_id": court_id, "division_id": division_id, "judge_id": judge_id}
    params.update((name, value) for name, value in given.items() if value is not None)
    states = _states(state)
    if days_left_max is not None or days_left_min is not None:
        # only a running clock has days left: closed cases and stopped clocks match no days-left range
        states, condition, whole_group = tuple(s for s in states if s in RUNNING_STATES), "running", RUNNING_STATES
    elif set(states) <= set(PENDING_STATES):
        condition, whole_group = "pending", PENDING_STATES
    elif set(states) <= set(CLOSED_STATES):
        condition, whole_group = "closed", CLOSED_STATES
    else:
        condition, whole_group = None, STATES
    narrowed = not states or set(states) != set(whole_group)  # the partial index's own condition is there
    params.update((f"state_{i}", s) for i, s in enumerate(states if narrowed else ()))
    if days_left_max is not None:
        params["latest"] = today + timedelta(days=days_left_max)
    if days_left_min is not None:
        params["earliest"] = today + timedelta(days=days_left_min)
    shape = Shape(None if seen is None else len(seen[0]), 0 if seen is None else len(seen[1]),
                  tuple(name for name, value in given.items() if value is not None), condition,
                  len(states) if narrowed else None, days_left_max is not None, days_left_min is not None)
    return shape, params


def _ordering(sort: str, order: str) -> list:
    """The id breaks ties so pages never overlap."""
    column = SORTS[sort]
    return [column.asc(), Case.id.asc()] if order == "asc" else [column.desc(), Case.id.desc()]


SHAPES_KEPT = 512  # compiled statements a process keeps per kind: the shapes in use are a few dozen


@lru_cache(maxsize=SHAPES_KEPT)
def _rows_statement(shape: Shape, deadline: str | None, sort: str, order: str) -> Prepared:
    """A page of rows (LIST_COLUMNS) of one shape; `deadline`: None, "dated" (with one) or "undated" (by id)."""
    where, ordering = shape.clauses(), _ordering(sort, order)
    if deadline == "dated":
        where.append(Case.deadline.is_not(None))
    elif deadline == "undated":
        where.append(Case.deadline.is_(None))
        ordering = [Case.id.asc() if order == "asc" else Case.id.desc()]
    return Prepared(select(*LIST_COLUMNS).outerjoin(User, User.id == Case.lead_judge_id).where(*where)
                    .order_by(*ordering).offset(bindparam("offset")).limit(bindparam("limit")))


@lru_cache(maxsize=SHAPES_KEPT)
def _count_statement(shape: Shape, capped: bool, dated: bool = False) -> Prepared:
    """The count of one shape: the first COUNT_CAP + 1 (parameter `cap`) if `capped`; of the dated cases if `dated`."""
    where = shape.clauses() + ([Case.deadline.is_not(None)] if dated else [])
    if not capped:
        return Prepared(select(func.count()).select_from(Case).where(*where))
    first = select(Case.id).where(*where).limit(bindparam("cap")).subquery()
    return Prepared(select(func.count()).select_from(first))


def _page(connection: Connection, shape: Shape, params: dict, sort: str, order: str, offset: int,
          limit: int) -> list[dict]:
    """One page of rows (LIST_COLUMNS). Cases without a deadline (no time limit) come after the
    others in either order: two index-ordered queries instead of one `IS NULL` sort key, which no index serves."""
    def rows(deadline, skip, take):
        return _rows_statement(shape, deadline, sort, order).rows(connection, {**params, "offset": skip, "limit": take})

    if sort != "deadline":
        return rows(None, offset, limit)
    dated = rows("dated", offset, limit)
    if len(dated) == limit:
        return dated
    if dated:  # the dated cases ran out on this page
        n_dated = offset + len(dated)
    else:
        n_dated = _count_statement(shape, capped=False, dated=True).scalar(connection, params)
    return dated + rows("undated", max(0, offset - n_dated), limit - len(dated))


def count_cases(connection: Connection, shape: Shape, params: dict) -> tuple[int, bool]:
    """The number of matching cases, counted up to COUNT_CAP: (count, exact).

    A province-wide list matches up to a million rows; counting them all on every page
    costs more than the page itself, and nobody pages through ten thousand cases."""
    n = int(_count_statement(shape, capped=True).scalar(connection, {**params, "cap": COUNT_CAP + 1}))
    return min(n, COUNT_CAP), n <= COUNT_CAP


def list_cases(connection: Connection, actor: Actor, *, court_id: int | None = None, division_id: int | None = None,
               judge_id: int | None = None, state: str | list[str] | None = "pending",
               days_left_max: int | None = None, days_left_min: int | None = None, sort: str = "deadline",
               order: str = "asc", page: int = 1, per_page: int = 50, today: date,
               filed_before: date | None = None) -> tuple[list[dict], int, bool]:
    """Visible cases as dicts (LIST_COLUMNS + days_left: what case_public shows, with id, state, days_left, lead_judge_name), the count and whether the
    count is exact (see count_cases). `state` is a state, a group (pending — the default —, closed, all) or a list.
    Read on a connection (a session's: `session.connection()`): the API's busiest call opens no session."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    if order not in ORDERS:
        raise ValueError("order must be asc or desc")
    page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
    shape, params = _where(connection, actor, today, court_id, division_id, judge_id, state or "all", days_left_max,
                           days_left_min, filed_before)
    rows = _page(connection, shape, params, sort, order, (page - 1) * per_page, per_page)
    for row in rows:
        row["days_left"] = days_until(row["deadline"], row["clock_stopped"], row["state"], today)
    total, exact = count_cases(connection, shape, params)
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
    rows, _, _ = list_cases(session.connection(), actor, judge_id=actor.user_id, state="pending", sort="deadline",
                            per_page=limit, today=today)
    if pending < limit:
        closed, _, _ = list_cases(session.connection(), actor, judge_id=actor.user_id, state="closed",
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
