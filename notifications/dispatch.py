"""Delivering one claimed notice: render it in the recipient's language, send it to each active channel.

`deliver` reads and sends but writes nothing, so no transaction is open while Apprise
talks to the outside world; `record` then writes the attempts and the notice's new state
in one short transaction. A notice counts as sent once any channel took it: the person
has been told, and sending again to the channels that did work would tell them twice.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime

import apprise
from sqlalchemy import update
from sqlmodel import Session, select

from notifications.channels import apprise_url, redact
from notifications.render import RenderError, render
from notifications.retry import DEFAULT_POLICY, RetryPolicy
from store.db import Database
from store.models import Channel, DeliveryAttempt, Notice, User

RECIPIENT_INACTIVE = "the recipient's account is deactivated and has no active channel"
CHANNEL_TEST = "channel_test"
"""A test notice goes to the one channel named in its context, not to all of the recipient's channels."""
MAX_ERROR = 1000


@dataclass(frozen=True)
class Result:
    """What one channel did with the notice."""

    channel_id: int | None
    ok: bool
    error: str = ""


@dataclass(frozen=True)
class Delivery:
    """One try at a notice. `refused` is set ('recipient_inactive', 'dead') when trying again cannot help;
    `in_app` when the notice centre (站内通知) is the only place it goes."""

    results: list[Result] = field(default_factory=list)
    refused: str = ""
    error: str = ""
    in_app: bool = False

    @property
    def ok(self) -> bool:
        return any(r.ok for r in self.results)

    @property
    def errors(self) -> str:
        return self.error or "; ".join(f"channel {r.channel_id}: {r.error}" for r in self.results if not r.ok)


def deliver(database: Database, notice_id: int) -> Delivery:
    """Render the notice and send it to each of the recipient's active channels; writes nothing."""
    with database.read() as session:
        notice, user, channels = _load(session, notice_id)
    if not channels:  # every notice is in the notice centre; only a deactivated account has nobody to read it
        return Delivery(in_app=True) if user.active else Delivery(refused="recipient_inactive",
                                                                  error=RECIPIENT_INACTIVE)
    try:
        title, body = render(notice.kind, notice.context or {}, user.language)
    except RenderError as exc:
        return Delivery(refused="dead", error=str(exc))
    return Delivery([send(c, title, body) for c in channels])


def _load(session: Session, notice_id: int) -> tuple[Notice, User, list[Channel]]:
    notice = session.get(Notice, notice_id)
    user = session.get(User, notice.recipient_user_id)
    active = select(Channel).where(Channel.user_id == user.id, Channel.active).order_by(Channel.id)
    if notice.kind == CHANNEL_TEST:
        active = active.where(Channel.id == (notice.context or {}).get("channel_id"))
    return notice, user, list(session.exec(active).all())


def send(channel: Channel, title: str, body: str) -> Result:
    """Send through Apprise; the error says what went wrong without the URL's secrets."""
    try:
        url = apprise_url(channel.kind, channel.target)
    except ValueError as exc:
        return Result(channel.id, False, str(exc))
    error = _notify(url, title, body)
    return Result(channel.id, not error, error[:MAX_ERROR])


def _notify(url: str, title: str, body: str) -> str:
    client = apprise.Apprise()
    if not client.add(url):
        return f"Apprise cannot use this {url.split(':', 1)[0]}:// URL"
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        try:
            ok = client.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
        except Exception as exc:  # a plugin's bug must not stop the other notices
            return redact(f"{type(exc).__name__}: {exc}", url)
    return "" if ok else redact(_last_lines(log.getvalue()) or "delivery failed", url)


def _last_lines(text: str, count: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-count:] if line.strip())


def record(session: Session, notice_id: int, claimed_at: datetime, delivery: Delivery, now: datetime,
           policy: RetryPolicy = DEFAULT_POLICY) -> str:
    """Store one attempt per channel and the notice's new state; the state only if our claim still holds."""
    session.add_all(DeliveryAttempt(notice_id=notice_id, channel_id=r.channel_id, at=now, ok=r.ok, error=r.error)
                    for r in delivery.results)
    attempt = session.exec(select(Notice.attempts).where(Notice.id == notice_id)).one() + 1
    values = outcome(delivery, attempt, now, policy)
    stmt = (update(Notice).where(Notice.id == notice_id, Notice.state == "sending", Notice.claimed_at == claimed_at)
            .values(attempts=attempt, claimed_at=None, **values))
    return values["state"] if session.exec(stmt).rowcount else "claim_lost"


def outcome(delivery: Delivery, attempt: int, now: datetime, policy: RetryPolicy = DEFAULT_POLICY) -> dict:
    """The notice's new columns after its `attempt`-th try: sent, in_app (delivered in the notice centre only),
    recipient_inactive, pending (retry later) or dead."""
    if delivery.in_app:
        return dict(state="in_app", sent_at=now, last_error="")
    if delivery.ok:
        return dict(state="sent", sent_at=now, last_error=delivery.errors[:MAX_ERROR])
    if delivery.refused:
        return dict(state=delivery.refused, last_error=delivery.errors[:MAX_ERROR])
    retry_at = policy.next_attempt(attempt, now)
    if retry_at is None:
        return dict(state="dead", last_error=delivery.errors[:MAX_ERROR])
    return dict(state="pending", next_attempt_at=retry_at, last_error=delivery.errors[:MAX_ERROR])
