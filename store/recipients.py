"""Who holds a role at a place: the people a notice or a task goes to."""
from sqlalchemy import or_
from sqlmodel import Session, select

from store.models import Court, RoleGrant, User


def holders(session: Session, role: str, court_id: int, division_id: int | None = None) -> list[int]:
    """Active users granted `role` in the court (court-wide, or for this division)."""
    stmt = (select(RoleGrant.user_id).join(User, User.id == RoleGrant.user_id)
            .where(RoleGrant.role == role, RoleGrant.court_id == court_id, User.active))
    if division_id is not None:
        stmt = stmt.where(or_(RoleGrant.division_id.is_(None), RoleGrant.division_id == division_id))
    return sorted(set(session.exec(stmt).all()))


def parent_court_id(session: Session, court_id: int) -> int | None:
    court = session.get(Court, court_id)
    return court.parent_id if court else None


def high_court_id(session: Session, court_id: int) -> int:
    court = session.get(Court, court_id)
    return int(court.path.strip("/").split("/")[0])
