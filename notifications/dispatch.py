"""Delivering one claimed notice: render it in the recipient's language, send it to each active channel.

`deliver` reads and sends but writes nothing, so no transaction is open while Apprise
talks to the outside world; `record` then writes the attempts and the notice's new state
in one short transaction. A notice counts as sent once any channel took it: the person
has been told, and sending again to the channels that did work would tell them twice.

A send can still be repeated (a run killed between the send and `record`, a receiver that answered
too late): every outgoing message carries the notice's idempotency key, the same on every try, as an
`Idempotency-Key` header for webhooks and as the e-mail's Message-ID, so the receiver can tell a repeat.
"""
import logging
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import apprise
from apprise.plugins.email import base as apprise_email
from sqlalchemy import update
from sqlmodel import Session, select

from notifications.channels import apprise_url, redact
from notifications.render import RenderError, render
from notifications.retry import DEFAULT_POLICY, RetryPolicy
from notifications.dead_alerts import alert_keepers
from store.db import Database
from store.models import Channel, DeliveryAttempt, Notice, User

RECIPIENT_INACTIVE = "the recipient's account is deactivated and has no active channel"
CHANNEL_TEST = "channel_test"
"""A test notice goes to the one channel named in its context, not to all of the recipient's channels."""
MAX_ERROR = 1000
KEY_NAMESPACE = uuid.UUID("5d1c2f0e-8a7b-4c1e-9f3a-6b2d4e8c0a17")
"""Idempotency keys are UUIDv5 of the notice's dedupe key in this namespace: stable for every try."""
KEY_HEADER = "Idempotency-Key"
HEADER_SCHEMES = ("json", "jsons", "xml", "xmls", "form", "forms", "mailto", "mailtos")
"""Apprise URLs that take custom headers as `+Name=value` arguments."""
READ_TIMEOUT = "30"
"""Seconds to wait for a receiver's answer (Apprise's default of 4 s re-sent notices to slow receivers)."""


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
    return Delivery([send(c, title, body, idempotency_key(notice.dedupe_key)) for c in channels])


def _load(session: Session, notice_id: int) -> tuple[Notice, User, list[Channel]]:
    notice = session.get(Notice, notice_id)
    user = session.get(User, notice.recipient_user_id)
    active = select(Channel).where(Channel.user_id == user.id, Channel.active).order_by(Channel.id)
    if notice.kind == CHANNEL_TEST:
        active = active.where(Channel.id == (notice.context or {}).get("channel_id"))
    return notice, user, list(session.exec(active).all())


def idempotency_key(dedupe_key: str) -> str:
    """The notice's key for receivers: a UUID (ASCII, fits a header and a Message-ID) derived from its
    dedupe key, so every try of the notice, by any run, carries the same key."""
    return str(uuid.uuid5(KEY_NAMESPACE, dedupe_key))


def send(channel: Channel, title: str, body: str, key: str = "") -> Result:
    """Send through Apprise; the error says what went wrong without the URL's secrets."""
    try:
        url = apprise_url(channel.kind, channel.target)
    except ValueError as exc:
        return Result(channel.id, False, str(exc))
    error = _notify(url, title, body, key)
    return Result(channel.id, not error, error[:MAX_ERROR])


def with_key(url: str, key: str) -> str:
    """The Apprise URL with the idempotency key as a header (where the plugin takes headers) and a read
    timeout long enough for a slow receiver; the URL's own arguments are kept as written."""
    parts = urlsplit(url)
    extra = [] if "rto" in {k for k, _ in parse_qsl(parts.query)} else [("rto", READ_TIMEOUT)]
    if key and parts.scheme in HEADER_SCHEMES:
        extra.append(("+" + KEY_HEADER, key))
    query = "&".join(filter(None, [parts.query, urlencode(extra)]))
    return urlunsplit(parts._replace(query=query))


_message_id: ContextVar[str] = ContextVar("courtflow_message_id", default="")
_apprise_make_msgid = apprise_email.make_msgid


def _make_msgid(*args, **kwargs) -> str:
    """Apprise's e-mail plugin stamps every message with a random Message-ID *after* any custom headers
    (a `+Message-ID=` argument would give the message two), so the notice's own id replaces the random one
    while a notice is being sent."""
    key = _message_id.get()
    return f"<{key}@courtflow>" if key else _apprise_make_msgid(*args, **kwargs)


apprise_email.make_msgid = _make_msgid


def _notify(url: str, title: str, body: str, key: str = "") -> str:
    client = apprise.Apprise()
    if not client.add(with_key(url, key)):
        return f"Apprise cannot use this {url.split(':', 1)[0]}:// URL"
    token = _message_id.set(key)
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        try:
            ok = client.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
        except Exception as exc:  # a plugin's bug must not stop the other notices
            return redact(f"{type(exc).__name__}: {exc}", url)
        finally:
            _message_id.reset(token)
    return "" if ok else redact(_last_lines(log.getvalue()) or "delivery failed", url)


def _last_lines(text: str, count: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-count:] if line.strip())


def record(session: Session, notice_id: int, claim_token: str, delivery: Delivery, now: datetime,
           policy: RetryPolicy = DEFAULT_POLICY) -> str:
    """Store one attempt per channel and the notice's new state, the state only if our claim still holds
    (a run whose lease expired lost the notice to another: 'claim_lost'). A notice that dies here alerts
    its court's trial office and administrators, once."""
    session.add_all(DeliveryAttempt(notice_id=notice_id, channel_id=r.channel_id, at=now, ok=r.ok, error=r.error)
                    for r in delivery.results)
    attempt = session.exec(select(Notice.attempts).where(Notice.id == notice_id)).one() + 1
    values = outcome(delivery, attempt, now, policy)
    ours = (Notice.id == notice_id, Notice.state == "sending", Notice.claim_token == claim_token)
    stmt = update(Notice).where(*ours).values(attempts=attempt, claimed_at=None, claimed_until=None,
                                              claim_token=None, **values)
    if not session.exec(stmt).rowcount:
        return "claim_lost"
    if values["state"] == "dead":
        alert_keepers(session, notice_id, now)
    return values["state"]


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
