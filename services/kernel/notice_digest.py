"""The daily digest (每日汇总): a person who takes it gets their non-urgent notices as one message a day.

Their notices wait in the state 'digest' (already in the notice centre); the daily monitor gathers each
person's waiting notices into one `notice_digest` notice that goes out at 08:00 court time, and marks
them 'digested'. The notices of a day whose digest is already written wait for the next one."""
from datetime import datetime
from itertools import groupby

from sqlalchemy import update
from sqlmodel import Session, select

from notifications.render import RenderError, render
from policies.notice_timing import DIGEST_KIND, WAITING_FOR_DIGEST, digest_due, held_until
from services.kernel.clock import local_today
from store.models import Notice, NoticePreference, User
from store.outbox import enqueue

MAX_TITLES = 50
"""Titles listed in one digest; the rest are counted (the notice centre has them all)."""


def send_digests(session: Session, now: datetime) -> int:
    """One digest per person with notices waiting for it; returns how many digests were written."""
    waiting = session.exec(select(Notice).where(Notice.state == WAITING_FOR_DIGEST)
                           .order_by(Notice.recipient_user_id, Notice.created_at, Notice.id)).all()
    written = 0
    for user_id, notices in groupby(waiting, key=lambda n: n.recipient_user_id):
        written += _digest(session, session.get(User, user_id), list(notices), now)
    return written


def _digest(session: Session, user: User, notices: list[Notice], now: datetime) -> int:
    day = local_today(now).isoformat()
    titles = [_title(n, user.language) for n in notices]
    context = {"day": day, "count": len(titles), "titles": titles[:MAX_TITLES], "more": max(0, len(titles) - MAX_TITLES)}
    if not enqueue(session, kind=DIGEST_KIND, recipients=[user.id], dedupe_key=f"{DIGEST_KIND}:{day}", at=now,
                   context=context):
        return 0  # today's digest is written already: these wait for tomorrow's
    session.exec(update(Notice).where(Notice.dedupe_key == f"{DIGEST_KIND}:{day}:u{user.id}")
                 .values(next_attempt_at=_goes_out(session, user.id, now)))
    session.exec(update(Notice).where(Notice.id.in_([n.id for n in notices])).values(state="digested", sent_at=now))
    return 1


def _goes_out(session: Session, user_id: int, now: datetime) -> datetime:
    """08:00 court time, or when the person's quiet hours end if they still hold then."""
    due = digest_due(now)
    pref = session.get(NoticePreference, user_id)
    held = held_until(DIGEST_KIND, pref.quiet_start, pref.quiet_end, due) if pref else None
    return held.astimezone(now.tzinfo) if held else due


def _title(notice: Notice, language: str) -> str:
    try:
        return render(notice.kind, notice.context or {}, language)[0]
    except RenderError:
        return notice.kind
