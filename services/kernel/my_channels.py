"""A person's own notice channels and settings (quiet hours, daily digest). Channels are added after Apprise
accepts them, shown back masked, deactivated rather than deleted (past delivery attempts keep pointing at
them), and tested with a real notice."""
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, select

from notifications.channels import KINDS, validate_channel
from notifications.dispatch import CHANNEL_TEST
from policies.notice_timing import clock, parse_clock
from services.kernel.actor import Actor
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.invariants import REASONS, database_rules
from services.kernel.record import record
from store.models import Channel, Notice, NoticePreference
from store.outbox import enqueue

MAX_ACTIVE = 10
"""Channels a person may have at once: each notice goes to every one, so more is noise, not reach."""
MAX_TARGET, MAX_LABEL = 2000, 60
DUPLICATE = REASONS["uq_channel_active_target"]


class ChannelInvalid(Invalid):
    """A target Apprise cannot use or a quiet-hours clock that is wrong: the page's own message id says so
    in the reader's language; `detail` is the checker's English (for the API and the logs)."""

    def __init__(self, field: str, message_id: str, detail: str = ""):
        super().__init__(field, message_id, detail=detail)


@dataclass(frozen=True)
class ChannelView:
    id: int
    kind: str
    label: str
    target: str
    """masked: scheme and host at most, never a token, password, path or query"""
    active: bool


def masked(kind: str, target: str) -> str:
    """What may be shown back of a target: an address's domain, a URL's scheme and host; tokens never."""
    target = (target or "").strip()
    if kind == "email":
        local, _, domain = target.partition("@")
        return f"{local[:1]}***@{domain}"
    if "://" not in target:
        return "***"
    scheme = target.split("://", 1)[0]
    try:
        parts = urlsplit(target)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # not a URL after all (a bad port, a broken IPv6 address): show only its scheme
        return f"{scheme}://***"
    if "." not in host:
        return f"{scheme}://***"  # dingtalk://TOKEN, wecombot://KEY, ntfy://topic: the "host" is the secret
    return f"{scheme}://{host}{f':{port}' if port else ''}/***"


def channel_view(channel: Channel) -> ChannelView:
    return ChannelView(channel.id, channel.kind, channel.label, masked(channel.kind, channel.target), channel.active)


def my_channels(session: Session, user_id: int) -> list[ChannelView]:
    """The person's active channels, oldest first."""
    stmt = select(Channel).where(Channel.user_id == user_id, Channel.active).order_by(Channel.id)
    return [channel_view(c) for c in session.exec(stmt).all()]


def checked_target(kind: str, target: str) -> str:
    """The cleaned target, or ChannelInvalid naming the field; Apprise itself decides what it can use."""
    if kind not in KINDS:
        raise ChannelInvalid("kind", "ch_err_kind", detail=", ".join(KINDS))
    if len(target or "") > MAX_TARGET:
        raise ChannelInvalid("target", "ch_err_long", detail=str(MAX_TARGET))
    try:
        return validate_channel(kind, target)
    except ValueError as exc:
        raise ChannelInvalid("target", f"ch_err_{kind}", detail=str(exc)) from None


def kind_of(target: str) -> str:
    """The kind of channel a bare target names, for imports that give one column: an address is e-mail,
    a robot's webhook address DingTalk or WeCom, another http(s) URL a webhook, any other URL Apprise's."""
    target = (target or "").strip()
    scheme = target.split("://", 1)[0].lower() if "://" in target else ""
    if not scheme:
        return "email" if "@" in target else "apprise"
    if scheme == "dingtalk" or "oapi.dingtalk.com/robot" in target:
        return "dingtalk"
    if scheme == "wecombot" or "qyapi.weixin.qq.com/cgi-bin/webhook" in target:
        return "wecom"
    return "webhook" if scheme in ("http", "https") else "apprise"


def add_channel(db, actor: Actor, kind: str, target: str, now: datetime, label: str = "") -> ChannelView:
    """Save a channel the person can be reached on; refused when it is there already or they have too many."""
    target = checked_target(kind, target)
    label = (label or "").strip()[:MAX_LABEL]
    with database_rules(), db.write() as session:
        mine = select(Channel).where(Channel.user_id == actor.user_id, Channel.active)
        active = list(session.exec(mine).all())
        if any(c.kind == kind and c.target == target for c in active):
            raise Refused(DUPLICATE)
        if len(active) >= MAX_ACTIVE:
            raise Refused("ch_err_too_many")
        channel = Channel(user_id=actor.user_id, kind=kind, target=target, label=label)
        session.add(channel)
        session.flush()
        view = channel_view(channel)
        record(session, actor, "channel.added", at=now, subject_kind="users", subject_id=actor.user_id,
               after={"channel_id": view.id, "kind": kind, "target": view.target})
    return view


def _own_active(session: Session, actor: Actor, channel_id: int) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None or channel.user_id != actor.user_id or not channel.active:
        raise NotFound("ch_err_missing")
    return channel


def deactivate_channel(db, actor: Actor, channel_id: int, now: datetime) -> ChannelView:
    """Stop sending to the channel; its past delivery attempts stay as they were."""
    with db.write() as session:
        channel = _own_active(session, actor, channel_id)
        channel.active = False
        session.add(channel)
        record(session, actor, "channel.deactivated", at=now, subject_kind="users", subject_id=actor.user_id,
               after={"channel_id": channel.id, "kind": channel.kind})
        return channel_view(channel)


def send_test(db, actor: Actor, channel_id: int, now: datetime) -> int:
    """Put a real `channel_test` notice in the outbox for this channel only; returns the notice's id."""
    with db.write() as session:
        channel = _own_active(session, actor, channel_id)
        key = f"{CHANNEL_TEST}:{channel.id}:{now.isoformat()}"
        context = {"channel_id": channel.id, "channel_kind": channel.kind, "channel": masked(channel.kind, channel.target)}
        if not enqueue(session, kind=CHANNEL_TEST, recipients=[actor.user_id], dedupe_key=key, at=now, context=context,
                       subject_kind="", subject_id=None):
            raise Refused("ch_err_test_again")
        return session.exec(select(Notice.id).where(Notice.dedupe_key == f"{key}:u{actor.user_id}")).one()


def notice_settings(session: Session, user_id: int) -> dict:
    """The person's quiet hours as '22:00' / '07:00' ('' when none) and whether they take the daily digest."""
    pref = session.get(NoticePreference, user_id) or NoticePreference(user_id=user_id)
    return {"quiet_start": clock(pref.quiet_start), "quiet_end": clock(pref.quiet_end),
            "daily_digest": pref.daily_digest}


def set_notice_settings(db, actor: Actor, start: str, end: str, daily_digest: bool, now: datetime) -> dict:
    """Set quiet hours (both times) or clear them (both empty), and the daily digest on or off."""
    start, end = (start or "").strip(), (end or "").strip()
    minutes = {}
    for field, text in (("quiet_start", start), ("quiet_end", end)):
        if bool(start) != bool(end) and not text:
            raise ChannelInvalid(field, "qh_err_both")
        try:
            minutes[field] = parse_clock(text) if text else None
        except ValueError as exc:
            raise ChannelInvalid(field, "qh_err_clock", detail=str(exc)) from None
    if start and minutes["quiet_start"] == minutes["quiet_end"]:
        raise ChannelInvalid("quiet_end", "qh_err_same")
    with db.write() as session:
        pref = session.get(NoticePreference, actor.user_id) or NoticePreference(user_id=actor.user_id)
        pref.quiet_start, pref.quiet_end, pref.daily_digest = minutes["quiet_start"], minutes["quiet_end"], daily_digest
        session.add(pref)
        settings = {"quiet_start": clock(pref.quiet_start), "quiet_end": clock(pref.quiet_end),
                    "daily_digest": daily_digest}
        record(session, actor, "notice_settings.changed", at=now, subject_kind="users", subject_id=actor.user_id,
               after=settings)
    return settings
