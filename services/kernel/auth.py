"""Logging in: check the password, trace the attempt either way, and throttle guessing.

Failed attempts are counted per account (the username typed) and per client address in the
database, so every API process sees the same counts. Reaching the limit locks the account or
address until the lockout expires: further attempts are refused even with the right password
(and the password is not even checked). The person whose account is locked is told once per
lockout (notice `login_locked`). Limits come from the settings (COURTFLOW_LOGIN_*).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from services.kernel.actor import Actor, actor_on, load_actor
from services.kernel.passwords import verify_password
from services.kernel.record import record
from store.models import LoginThrottle, User
from services.kernel.clock import COURT_TZ
from store.bulk import insert_ignoring_duplicates
from store.config import get_settings
from store.outbox import enqueue


class LoginLocked(Exception):
    """Too many failed attempts: refused until `until` (429), whatever the password."""

    def __init__(self, until: datetime):
        super().__init__(f"too many failed logins; try again after {until.isoformat()}")
        self.until = until


@dataclass(frozen=True)
class Limits:
    account: int
    address: int
    window: timedelta
    lockout: timedelta

    @classmethod
    def from_settings(cls) -> "Limits":
        s = get_settings()
        return cls(s.login_account_failures, s.login_address_failures, timedelta(seconds=s.login_window_seconds),
                   timedelta(seconds=s.login_lockout_seconds))


def authenticate(db, username: str, password: str, now: datetime, address: str = "") -> Actor | None:
    """The actor for a right password; None for a wrong one; LoginLocked while a lockout runs."""
    limits, locked_until = Limits.from_settings(), None
    with db.write() as session:
        user = session.exec(select(User).where(User.username == username)).first()
        throttles = _throttles(session, username, address)
        locked_until = max((_utc(t.locked_until) for t in throttles if _locked(t, now)), default=None)
        if locked_until is not None:
            _trace(session, user, username, now, ok=False, why=f"locked until {locked_until.isoformat()}")
            actor = None
        else:
            ok = bool(user and user.active and verify_password(password, user.password_hash))
            _trace(session, user, username, now, ok=ok, why="" if ok else "wrong username or password")
            if ok:
                _forget_account(throttles)
                return load_actor(session, user)
            _count_failure(session, throttles, user, now, limits)
            actor = None
    if locked_until is not None:
        raise LoginLocked(locked_until)
    return actor


def actor_for(db, user_id: int) -> Actor | None:
    """The user's actor, read on a connection of its own (a session would cost the API's every call ~0.1 ms)."""
    with db.reader.connect() as connection:
        return actor_on(connection, user_id)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; PostgreSQL aware ones."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _locked(throttle: LoginThrottle, now: datetime) -> bool:
    return throttle.locked_until is not None and _utc(throttle.locked_until) > now


def _throttles(session: Session, username: str, address: str) -> list[LoginThrottle]:
    """The account's and the address's rows, created if new and locked for this transaction."""
    keys = [("account", username.strip().lower()[:200])] + ([("address", address[:200])] if address else [])
    insert_ignoring_duplicates(session, LoginThrottle, [{"scope": s, "key": k, "failures": 0} for s, k in keys],
                               ["scope", "key"])
    rows = []
    for scope, key in keys:
        rows.append(session.exec(select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key)
                                 .with_for_update()).one())
    return rows


def _forget_account(throttles: list[LoginThrottle]) -> None:
    """A right password clears the account's count (not the address's: one known account must not
    let an address go on guessing others)."""
    for t in throttles:
        if t.scope == "account":
            t.failures, t.window_start, t.locked_until = 0, None, None


def _count_failure(session: Session, throttles: list[LoginThrottle], user: User | None, now: datetime,
                   limits: Limits) -> None:
    for t in throttles:
        if t.window_start is None or _utc(t.window_start) <= now - limits.window:
            t.failures, t.window_start = 0, now
        t.failures += 1
        if t.failures >= (limits.account if t.scope == "account" else limits.address):
            t.locked_until, t.failures, t.window_start = now + limits.lockout, 0, None
            _lockout_begins(session, t, user, now)
        session.add(t)


def _lockout_begins(session: Session, throttle: LoginThrottle, user: User | None, now: datetime) -> None:
    """Traced; and the account's owner is told, once per lockout (keyed by its end)."""
    until = _utc(throttle.locked_until)
    record(session, Actor(None, "system"), "login.locked", at=now, subject_kind="users",
           subject_id=user.id if user and throttle.scope == "account" else None,
           court_id=user.court_id if user and throttle.scope == "account" else None,
           why=f"{throttle.scope} {throttle.key}: locked until {until.isoformat()}")
    if user is not None and throttle.scope == "account":
        enqueue(session, kind="login_locked", recipients=[user.id], at=now, court_id=user.court_id,
                dedupe_key=f"login_locked:{user.id}:{until.isoformat()}", subject_kind="users", subject_id=user.id,
                context={"username": user.username, "locked_at": _local(now), "locked_until": _local(until)})


def _local(moment: datetime) -> str:
    return moment.astimezone(COURT_TZ).strftime("%Y-%m-%d %H:%M")


def _trace(session: Session, user: User | None, username: str, now: datetime, ok: bool, why: str) -> None:
    who = Actor(user.id, user.username) if ok else Actor(None, username or "?")
    record(session, who, "login" if ok else "refused:login", at=now,
           subject_kind="users", subject_id=user.id if user else None, court_id=user.court_id if user else None,
           why=why)
