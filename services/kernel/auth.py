"""Logging in: check the password, trace the attempt either way."""
from datetime import datetime

from sqlmodel import select

from services.kernel.actor import Actor, actor_by_id, load_actor
from services.kernel.passwords import verify_password
from services.kernel.record import record
from store.models import User


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
    with db.read() as session:
        return actor_by_id(session, user_id)
