"""Passwords without an administrator ever seeing one: a one-time link (an invitation for a new account, a
reset for a forgotten password) lets its holder choose a password that meets the court's policy; a person
asked to change theirs at the next login does so before anything else. Every step is traced."""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from services.admin.people import user_here
from services.kernel.actor import Actor
from services.kernel.errors import Invalid, NotFound
from services.kernel.passwords import hash_password, verify_password
from services.kernel.policy import policy
from services.kernel.record import record
from store.models import Invitation, User

PURPOSES = ("invite", "reset")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def issue(session: Session, actor: Actor, user_id: int, *, purpose: str, now: datetime) -> str:
    """A fresh one-time token for the user (earlier unused links stop working); only its hash is kept."""
    user = user_here(session, actor, user_id)
    if purpose not in PURPOSES:
        raise Invalid("purpose", "invalid.admin.one_of", value=", ".join(PURPOSES))
    if not user.active:
        raise NotFound("not_found.admin.user", id=user_id)
    for old in session.exec(select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))):
        old.expires_at = min(_utc(old.expires_at), now)
        session.add(old)
    rules = policy(session, user.court_id, "passwords")
    hours = rules.invitation_hours if purpose == "invite" else rules.reset_hours
    token = secrets.token_urlsafe(32)
    session.add(Invitation(user_id=user.id, token_sha256=_digest(token), purpose=purpose, created_by=actor.user_id,
                           created_at=now, expires_at=now + timedelta(hours=hours)))
    record(session, actor, f"password.{purpose}_link", at=now, subject_kind="users", subject_id=user.id,
           court_id=user.court_id, why=f"one-time link valid {hours} h")
    return token


def pending(session: Session, token: str, now: datetime) -> tuple[Invitation, User]:
    """The unused, unexpired invitation for the token, and its user (NotFound for any other token)."""
    invitation = session.exec(select(Invitation).where(Invitation.token_sha256 == _digest(token))).first()
    user = session.get(User, invitation.user_id) if invitation else None
    if invitation is None or invitation.used_at is not None or _utc(invitation.expires_at) <= now \
            or user is None or not user.active:
        raise NotFound("not_found.admin.link")
    return invitation, user


def check_password(session: Session, user: User, password: str) -> None:
    """Invalid naming the rule of the court's password policy the password breaks."""
    problems = policy(session, user.court_id, "passwords").problems(password, user.username)
    if problems:
        message_id, params = problems[0]
        raise Invalid("password", message_id, **params)


def redeem(session: Session, token: str, password: str, now: datetime) -> User:
    """Set the password from a one-time link; the link is spent."""
    invitation, user = pending(session, token, now)
    check_password(session, user, password)
    user.password_hash, user.must_change_password = hash_password(password), False
    invitation.used_at = now
    session.add_all([user, invitation])
    record(session, Actor(user.id, user.username), "password.set", at=now, subject_kind="users", subject_id=user.id,
           court_id=user.court_id, why=f"from a one-time {invitation.purpose} link")
    return user


def change(session: Session, user_id: int, current: str, new: str, now: datetime) -> User:
    """A person changes their own password (the first-login change too): the current one, then the policy."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound("not_found.admin.user", id=user_id)
    if not verify_password(current, user.password_hash):
        raise Invalid("current_password", "invalid.admin.current_password_wrong")
    if current == new:
        raise Invalid("password", "invalid.admin.password_unchanged")
    check_password(session, user, new)
    user.password_hash, user.must_change_password = hash_password(new), False
    session.add(user)
    record(session, Actor(user.id, user.username), "password.change", at=now, subject_kind="users",
           subject_id=user.id, court_id=user.court_id)
    return user


def must_change(session: Session, user_id: int) -> bool:
    user = session.get(User, user_id)
    return bool(user and user.must_change_password)
