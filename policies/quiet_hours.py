"""Quiet hours (免打扰时段): when a person's non-urgent external notices wait for the morning.

Pure arithmetic on the court's wall clock (Asia/Shanghai). The notice centre (站内通知) is never
held: quiet hours only move when a notice goes out to e-mail, DingTalk, WeCom or a webhook.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

COURT_TZ = ZoneInfo("Asia/Shanghai")
DAY_MINUTES = 24 * 60

URGENT_KINDS = frozenset({
    # a statutory time limit or a deadline has passed: every hour of delay is another hour overdue
    "deadline_overdue", "petition_overdue", "review_overdue", "task_overdue", "exit_window_overdue",
    # escalations go to the chief or president precisely because the usual path did not act in time
    "long_pending_escalation", "petition_escalation", "review_escalation",
    # the person just pressed "send a test notice" and is waiting to see it arrive
    "channel_test",
})
"""Kinds that ignore quiet hours, each for the reason on its line above."""


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
