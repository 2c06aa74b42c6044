"""Logging in: check the password, trace the attempt either way."""
from datetime import datetime

from sqlmodel import select

from services.passwords import verify_password
from services.actor import Actor, Grant, load_actor
from services.record import record
from store.models import Court, RoleGrant, User


def authenticate(db, username: str, password: str, now: datetime) -> Actor | None:
    with db.write() as session:
        user = session.exec(select(User).where(User.username == username)).first()
        ok = bool(user and user.active and verify_password(password, user.password_hash))
        who = Actor(user.id, user.username) if ok else Actor(None, username or "?")
        record(session, who, "login" if ok else "refused:login", at=now,
               subject_kind="users", subject_id=user.id if user else None, court_id=user.court_id if user else None,
               why="" if ok else "wrong username or password")
        return load_actor(session, user) if ok else None


def actor_for(db, user_id: int) -> Actor | None:
    """The active user's actor, read in one query: it runs on every request."""
    with db.read() as session:
        rows = session.execute(
            select(User.username, User.display_name, User.language, RoleGrant.role, RoleGrant.court_id, Court.path,
                   RoleGrant.division_id, RoleGrant.include_subtree)
            .outerjoin(RoleGrant, RoleGrant.user_id == User.id).outerjoin(Court, Court.id == RoleGrant.court_id)
            .where(User.id == user_id, User.active.is_(True))).all()
    if not rows:
        return None
    grants = tuple(Grant(r.role, r.court_id, r.path, r.division_id, r.include_subtree) for r in rows if r.role)
    return Actor(user_id, rows[0].username, rows[0].display_name, rows[0].language, grants)
