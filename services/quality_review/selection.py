"""Putting cases under review in bulk: one INSERT … SELECT per category, idempotent by selection key.

A case is reviewed once per kind: the key is `routine:<case>`, `focused:<case>` or
`special:<batch>:<case>`, so selecting it again adds nothing.
"""
from datetime import date

from sqlalchemy import JSON, and_, cast, func, literal, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite

from store.bulk import insert_select_ignoring_duplicates, text_of
from store.models import Case, Review
from store.models.case import CLOSED_STATES

REVIEWABLE_STATES = tuple(s for s in CLOSED_STATES if s != "transferred")
"""Closed by the court itself: a transferred case (移送) was not adjudicated here."""

REVIEW_COLUMNS = ["selection_key", "kind", "category", "month", "draw_id", "special_id", "case_id", "court_id",
                  "division_id", "judge_id", "state", "selected_on", "assignment_seed", "findings", "summary",
                  "objection", "objection_decision", "rectification_report", "rereview_note", "referral_note",
                  "version"]


def reviewable(start: date | None, end: date):
    """Cases the court closed itself, with a lead judge, closed in [start, end] (any time up to end without start)."""
    closed = Case.closed_on <= end if start is None else Case.closed_on.between(start, end)
    return and_(Case.state.in_(REVIEWABLE_STATES), Case.lead_judge_id.is_not(None), closed)


def empty_list(session):
    """An empty JSON list as an SQL value on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(literal("[]"), JSON)
    return func.json_array()


def months_after(session, column, months: int):
    """`column` + N months in SQL (the policy's N is a validated whole number)."""
    if session.get_bind().dialect.name == "postgresql":
        return column + literal_column(f"interval '{int(months)} months'")
    return func.date(column, f"+{int(months)} months")


def select_reviews(session, key_prefix: str, kind: str, category: str, month: str, today: date,
                   special_id: int | None = None):
    """SELECT of review rows over Case (add FROM/WHERE): selected, unassigned, keyed per case."""
    return select(literal(key_prefix) + text_of(Case.id), literal(kind), literal(category), literal(month),
                  literal(None), literal(special_id), Case.id, Case.court_id, Case.division_id, Case.lead_judge_id,
                  literal("selected"), literal(today), literal(""), empty_list(session), literal(""), literal(""),
                  literal(""), literal(""), literal(""), literal(""), literal(1))


def insert_reviews(session, stmt) -> int:
    return insert_select_ignoring_duplicates(session, Review, REVIEW_COLUMNS, stmt, ["selection_key"])


def insert_many(session, model, rows: list[dict], key: list[str]) -> int:
    """Rows built in Python as one executemany INSERT … ON CONFLICT DO NOTHING: the statement is compiled
    once, not once per row as a multi-VALUES insert of thousands of rows would be. Returns rows added."""
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model.__table__).on_conflict_do_nothing(index_elements=key)
    return session.execute(stmt, rows).rowcount


def insert_review_rows(session, rows: list[dict]) -> int:
    """Review rows built in Python (the routine draw)."""
    return insert_many(session, Review, rows, ["selection_key"])


def review_row(*, key: str, kind: str, month: str, case_id: int, court_id: int, division_id: int | None,
               judge_id: int | None, today: date, draw_id: int | None = None, category: str = "") -> dict:
    return dict(selection_key=key, kind=kind, category=category, month=month, draw_id=draw_id, special_id=None,
                case_id=case_id, court_id=court_id, division_id=division_id, judge_id=judge_id, state="selected",
                selected_on=today, assignment_seed="", findings=[], summary="", objection="", objection_decision="",
                rectification_report="", rereview_note="", referral_note="", version=1)
