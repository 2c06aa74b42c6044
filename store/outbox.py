"""Writing notices into the outbox, inside the transaction of the change that causes them."""
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from policies.notice_timing import URGENT_KINDS, first_try
from store.bulk import insert_ignoring_duplicates
from store.jsonable import jsonable
from store.models import Notice, NoticePreference


def enqueue(session: Session, *, kind: str, recipients, dedupe_key: str, at: datetime, context: dict | None = None,
            court_id: int | None = None, subject_kind: str = "", subject_id: int | None = None) -> int:
    """One notice per recipient, keyed `dedupe_key:u<user>`; a key seen before adds nothing.

    Every notice is in the recipient's notice centre at once; a non-urgent one goes out externally
    when their quiet hours end, or in their daily digest if they take one (policies/notice_timing.py)."""
    users = sorted(set(recipients))
    prefs = _settings(session, kind, users)
    rows = []
    for uid in users:
        state, first = _first_try(kind, prefs.get(uid), at)
        rows.append(dict(dedupe_key=f"{dedupe_key}:u{uid}", kind=kind, recipient_user_id=uid, court_id=court_id,
                         subject_kind=subject_kind, subject_id=subject_id, context=jsonable(context or {}),
                         state=state, attempts=0, next_attempt_at=first, created_at=at, last_error=""))
    return insert_ignoring_duplicates(session, Notice, rows, ["dedupe_key"])


def apply_notice_settings(session: Session, at: datetime) -> int:
    """Apply the recipients' quiet hours and digests to the notices a bulk sweep wrote `at` (INSERT …
    SELECT, not through `enqueue`); returns how many now wait. Only people who set either are read."""
    written = (Notice.state == "pending", Notice.created_at == at, Notice.next_attempt_at == at,
               Notice.kind.not_in(URGENT_KINDS))
    rows = session.exec(select(Notice, NoticePreference).join(
        NoticePreference, NoticePreference.user_id == Notice.recipient_user_id)
        .where(*written, _has_settings())).all()
    waiting = 0
    for notice, pref in rows:
        state, first = _first_try(notice.kind, pref, at)
        if (state, first) != ("pending", at):
            notice.state, notice.next_attempt_at = state, first
            session.add(notice)
            waiting += 1
    session.flush()
    return waiting


def _settings(session: Session, kind: str, users: list[int]) -> dict[int, NoticePreference]:
    if kind in URGENT_KINDS or not users:
        return {}
    stmt = select(NoticePreference).where(NoticePreference.user_id.in_(users), _has_settings())
    return {p.user_id: p for p in session.exec(stmt).all()}


def _has_settings():
    return or_(NoticePreference.quiet_start.is_not(None), NoticePreference.daily_digest)


def _first_try(kind: str, pref: NoticePreference | None, at: datetime) -> tuple[str, datetime]:
    if pref is None:
        return "pending", at
    return first_try(kind, pref.quiet_start, pref.quiet_end, pref.daily_digest, at)
