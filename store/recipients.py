"""Who holds a role at a place: the people a notice or a task goes to."""
from datetime import date

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from store.models import Court, RoleGrant, User


def in_force(on: date):
    """A grant counts on the court day `on`: started (or no start) and not yet ended (or no end)."""
    return and_(or_(RoleGrant.starts_on.is_(None), RoleGrant.starts_on <= on),
                or_(RoleGrant.ends_on.is_(None), RoleGrant.ends_on >= on))


def holders(session: Session, role: str, court_id: int, division_id: int | None = None, *, on: date) -> list[int]:
    """Active users granted `role` in the court (court-wide, or for this division) by a grant in force on `on`:
    one not yet started or already ended does not count."""
    stmt = (select(RoleGrant.user_id).join(User, User.id == RoleGrant.user_id)
            .where(RoleGrant.role == role, RoleGrant.court_id == court_id, User.active, in_force(on)))
    if division_id is not None:
        stmt = stmt.where(or_(RoleGrant.division_id.is_(None), RoleGrant.division_id == division_id))
    return sorted(set(session.exec(stmt).all()))


def parent_court_id(session: Session, court_id: int) -> int | None:
    court = session.get(Court, court_id)
    return court.parent_id if court else None


def high_court_id(session: Session, court_id: int) -> int:
    court = session.get(Court, court_id)
    return int(court.path.strip("/").split("/")[0])
