"""Writing notices into the outbox, inside the transaction of the change that causes them."""
from datetime import datetime

from sqlmodel import Session, select

from policies.quiet_hours import URGENT_KINDS, held_until
from store.bulk import insert_ignoring_duplicates
from store.jsonable import jsonable
from store.models import Notice, NoticePreference


def enqueue(session: Session, *, kind: str, recipients, dedupe_key: str, at: datetime, context: dict | None = None,
            court_id: int | None = None, subject_kind: str = "", subject_id: int | None = None) -> int:
    """One notice per recipient, keyed `dedupe_key:u<user>`; a key seen before adds nothing.

    A recipient in their quiet hours gets a non-urgent notice in the notice centre at once and
    externally when the quiet hours end (its first attempt waits until then)."""
    users = sorted(set(recipients))
    held = _held(session, kind, users, at)
    rows = [
        dict(dedupe_key=f"{dedupe_key}:u{uid}", kind=kind, recipient_user_id=uid, court_id=court_id,
             subject_kind=subject_kind, subject_id=subject_id, context=jsonable(context or {}),
             state="pending", attempts=0, next_attempt_at=held.get(uid, at), created_at=at, last_error="")
        for uid in users
    ]
    return insert_ignoring_duplicates(session, Notice, rows, ["dedupe_key"])


def _held(session: Session, kind: str, users: list[int], at: datetime) -> dict[int, datetime]:
    """Recipients whose quiet hours hold this notice, with when they end (as UTC)."""
    if kind in URGENT_KINDS or not users:
        return {}
    prefs = session.exec(select(NoticePreference).where(NoticePreference.user_id.in_(users),
                                                        NoticePreference.quiet_start.is_not(None))).all()
    until = {p.user_id: held_until(kind, p.quiet_start, p.quiet_end, at) for p in prefs}
    return {uid: when.astimezone(at.tzinfo) for uid, when in until.items() if when is not None}


def hold_for_quiet_hours(session: Session, at: datetime) -> int:
    """Hold the notices a bulk sweep wrote `at` (INSERT … SELECT, not through `enqueue`) for the
    recipients in their quiet hours; returns how many now wait. Only people who set quiet hours are read."""
    written = (Notice.state == "pending", Notice.created_at == at, Notice.next_attempt_at == at,
               Notice.kind.not_in(URGENT_KINDS))
    rows = session.exec(select(Notice, NoticePreference).join(
        NoticePreference, NoticePreference.user_id == Notice.recipient_user_id)
        .where(*written, NoticePreference.quiet_start.is_not(None))).all()
    held = 0
    for notice, pref in rows:
        until = held_until(notice.kind, pref.quiet_start, pref.quiet_end, at)
        if until is not None:
            notice.next_attempt_at = until.astimezone(at.tzinfo)
            session.add(notice)
            held += 1
    session.flush()
    return held
