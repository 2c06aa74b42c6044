"""Petition facts for the other work (contract C4): quality review, assessment and indicators.

- `cases_with_petitions`: the cases quality review must take as focused reviews (SPEC §4);
- `petition_credits`: petitions answered per handler, credited work in assessment (SPEC §5);
- `petition_counts`: received, answered on time, answered late and open late per court and
  division for the indicators (SPEC §8).
All three are set-based: one query each, whatever the number of petitions.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case as when, func, or_, select
from sqlmodel import Session

from store.models import Petition


@dataclass(frozen=True)
class PetitionCount:
    court_id: int
    division_id: int | None
    received: int
    answered_on_time: int
    answered_late: int
    open_late: int


def cases_with_petitions(start: date, end: date) -> Select:
    """SELECT DISTINCT case_id of the petitions registered in [start, end] that concern a case.

    A Select of one column `case_id`, to use inside another query, e.g.
    `select(Case.id).where(Case.id.in_(cases_with_petitions(start, end)))`."""
    return (select(Petition.case_id.label("case_id"))
            .where(Petition.case_id.is_not(None), Petition.registered_on.between(start, end)).distinct())


def petition_credits(session: Session, start: date, end: date) -> dict[int, int]:
    """Petitions answered in [start, end], per user id of the person who answered them."""
    stmt = (select(Petition.answered_by, func.count()).where(
        Petition.answered_by.is_not(None), Petition.answered_on.between(start, end)).group_by(Petition.answered_by))
    return {user: int(n) for user, n in session.exec(stmt).all()}


def _count(condition):
    return func.coalesce(func.sum(when((condition, 1), else_=0)), 0)


def petition_counts(session: Session, start: date, end: date, as_of: date) -> list[PetitionCount]:
    """Per court and handling division (None: not yet assigned), for the period [start, end]:
    received (registered in it), answered on time / late (answered in it, by or after the due date),
    and open late: registered by `end`, not merged, past due and still unanswered on `as_of`."""
    answered_in = Petition.answered_on.between(start, end)
    open_late = and_(Petition.registered_on <= end, Petition.merged_into_id.is_(None), Petition.due_on < as_of,
                     or_(Petition.answered_on.is_(None), Petition.answered_on > as_of))
    stmt = (select(Petition.court_id, Petition.division_id, _count(Petition.registered_on.between(start, end)),
                   _count(and_(answered_in, Petition.answered_on <= Petition.due_on)),
                   _count(and_(answered_in, Petition.answered_on > Petition.due_on)), _count(open_late))
            .where(Petition.registered_on <= max(end, as_of))
            .group_by(Petition.court_id, Petition.division_id)
            .order_by(Petition.court_id, Petition.division_id.asc().nulls_first()))
    rows = [PetitionCount(c, d, int(r), int(t), int(late), int(o)) for c, d, r, t, late, o in session.exec(stmt).all()]
    return [r for r in rows if r.received or r.answered_on_time or r.answered_late or r.open_late]
