"""Writing notices into the outbox, inside the transaction of the change that causes them."""
from datetime import datetime

from sqlmodel import Session

from store.bulk import insert_ignoring_duplicates
from store.jsonable import jsonable
from store.models import Notice


def enqueue(session: Session, *, kind: str, recipients, dedupe_key: str, at: datetime, context: dict | None = None,
            court_id: int | None = None, subject_kind: str = "", subject_id: int | None = None) -> int:
    """One notice per recipient, keyed `dedupe_key:u<user>`; a key seen before adds nothing."""
    rows = [
        dict(dedupe_key=f"{dedupe_key}:u{uid}", kind=kind, recipient_user_id=uid, court_id=court_id,
             subject_kind=subject_kind, subject_id=subject_id, context=jsonable(context or {}),
             state="pending", attempts=0, next_attempt_at=at, created_at=at, last_error="")
        for uid in sorted(set(recipients))
    ]
    return insert_ignoring_duplicates(session, Notice, rows, ["dedupe_key"])
