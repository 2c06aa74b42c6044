"""Notices that exhausted their retries (dead letters): listed for the trial office and administrators,
announced to them in-app once per notice, and put back into the queue by hand once the channel works.

A dead notice silently failing is what a court notices last: the judge was never told. So the keepers of
the court (trial office, `system` administrators) get a notice of their own, keyed by the dead notice so
a second death report adds nothing (notifications/dead_alerts.py), and the notice can be retried from the
flow-health page.
"""
__all__ = ["ALERT_KIND", "KEEPERS", "alert_keepers", "dead_letters", "is_keeper", "retry"]
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from notifications.dead_alerts import ALERT_KIND, KEEPERS, alert_keepers
from services.kernel.actor import Actor
from services.kernel.errors import NotFound, Refused
from store import trace
from store.models import Court, Notice, User

LIST_LIMIT = 200


@dataclass(frozen=True)
class DeadLetter:
    id: int
    kind: str
    recipient: str
    context: dict
    court_id: int
    attempts: int
    last_error: str
    created_at: datetime


def is_keeper(actor: Actor) -> bool:
    return bool(KEEPERS & actor.roles)


def dead_letters(session: Session, actor: Actor) -> list[DeadLetter]:
    """Dead notices of the courts where the actor is a keeper, newest first."""
    stmt = (select(Notice, User.display_name, User.court_id, Court.path)
            .join(User, User.id == Notice.recipient_user_id).join(Court, Court.id == User.court_id)
            .where(Notice.state == "dead").order_by(Notice.id.desc()).limit(LIST_LIMIT))
    return [DeadLetter(n.id, n.kind, name, n.context, n.court_id or court_id, n.attempts, n.last_error, n.created_at)
            for n, name, court_id, path in session.exec(stmt).all() if _keeps(actor, court_id, path)]


def retry(session: Session, actor: Actor, notice_id: int, now: datetime) -> Notice:
    """Put a dead notice back into the queue with its attempts reset; traced. 404 outside the actor's
    courts, 409 for a notice that is not dead (nothing to retry, or already retried)."""
    row = session.exec(select(Notice, User.court_id, Court.path).join(User, User.id == Notice.recipient_user_id)
                       .join(Court, Court.id == User.court_id).where(Notice.id == notice_id)).first()
    if row is None or not _keeps(actor, row[1], row[2]):
        raise NotFound("not_found.operations.notice_not_found", notice_id=notice_id)
    notice = row[0]
    before = dict(state=notice.state, attempts=notice.attempts, last_error=notice.last_error)
    stmt = (update(Notice).where(Notice.id == notice_id, Notice.state == "dead")
            .values(state="pending", attempts=0, next_attempt_at=now, last_error=""))
    if session.exec(stmt).rowcount != 1:
        raise Refused("refused.operations.only_undeliverable_notice_can_be_retried", state=notice.state)
    trace.append(session, at=now, actor=actor.username, actor_id=actor.user_id, action="notice.retry",
                 subject_kind="notices", subject_id=notice_id, court_id=row[1], why="重新投递失败通知",
                 before=before, after=dict(state="pending", attempts=0))
    session.refresh(notice)
    return notice


def _keeps(actor: Actor, court_id: int, court_path: str) -> bool:
    return bool(KEEPERS & actor.roles_at(court_id, court_path, None))
