"""When a person's notices go out: quiet hours (免打扰时段) and the daily digest (每日汇总).

Pure arithmetic on the court's wall clock (Asia/Shanghai). The notice centre (站内通知) is never
held: these settings only move when a notice goes out to e-mail, DingTalk, WeCom or a webhook.
Quiet hours hold a non-urgent notice until they end; a person who takes the daily digest gets
their non-urgent notices as one message a day instead of one each.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

COURT_TZ = ZoneInfo("Asia/Shanghai")
DAY_MINUTES = 24 * 60

URGENT_KINDS = frozenset({
    # a statutory time limit or a deadline has passed: every hour of delay is another hour overdue
    "deadline_overdue", "task_overdue",
    # escalations go to the chief or president precisely because the usual path did not act in time
    "long_pending_escalation", "task_escalated",
    # the person just pressed "send a test notice" and is waiting to see it arrive
    "channel_test",
})
"""Kinds that ignore quiet hours and never wait for the digest, each for the reason on its line above."""
DIGEST_KIND = "notice_digest"
DIGEST_AT = 8 * 60
"""The digest goes out at 08:00 court time, the start of the working day (later if quiet hours still hold)."""
WAITING_FOR_DIGEST = "digest"
"""The state of a notice that waits to go out in its recipient's next daily digest."""


def parse_clock(text: str) -> int:
    """'22:00' → minutes of the day (1320); ValueError for anything but HH:MM on a 24-hour clock."""
    hours, sep, minutes = (text or "").strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError("expected HH:MM, e.g. 22:00")
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError("expected a time of day between 00:00 and 23:59")
    return int(hours) * 60 + int(minutes)


def clock(minutes: int | None) -> str:
    """Minutes of the day as HH:MM ('' for none)."""
    return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def held_until(kind: str, start: int | None, end: int | None, at: datetime) -> datetime | None:
    """When a `kind` notice created `at` may go out, if quiet hours [start, end) hold it; else None.

    Quiet hours may span midnight (22:00–07:00). `at` must be aware; the answer is in the court's zone."""
    if kind in URGENT_KINDS or start is None or end is None or start == end:
        return None
    local = at.astimezone(COURT_TZ)
    minute = local.hour * 60 + local.minute
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    wait = (end - minute) % DAY_MINUTES
    return (local.replace(second=0, microsecond=0) + timedelta(minutes=wait))


def first_try(kind: str, quiet_start: int | None, quiet_end: int | None, daily_digest: bool,
              at: datetime) -> tuple[str, datetime]:
    """(state, first attempt) of a `kind` notice created `at` under its recipient's settings."""
    if kind in URGENT_KINDS:
        return "pending", at
    if daily_digest and kind != DIGEST_KIND:
        return WAITING_FOR_DIGEST, at
    held = held_until(kind, quiet_start, quiet_end, at)
    return "pending", (held.astimezone(at.tzinfo) if held else at)


def digest_due(at: datetime) -> datetime:
    """When a digest built `at` goes out: the next 08:00 court time (now, if it is past 08:00 already)."""
    local = at.astimezone(COURT_TZ)
    eight = local.replace(hour=DIGEST_AT // 60, minute=DIGEST_AT % 60, second=0, microsecond=0)
    return (eight if eight > local else local).astimezone(at.tzinfo)
