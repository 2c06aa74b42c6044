"""Flow health (SPEC: the third user of courtflow is its scheduled runs): for each scheduled flow, its last
run, state, duration and what it wrote, its next run, and flags when it is late or failed.

The source is courtflow's own `flow_run` table, which every flow writes at start and end, so this works
without the Prefect server. A flow is *late* when no run completed within twice its interval: measured
from its last completed run, or, for a flow that never completed, from the first run any flow recorded
(a fresh install is not late; a scheduler that never runs anything is, from the start).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from store.models import FlowRun


@dataclass
class FlowHealth:
    name: str
    description: str
    cron: str
    interval: timedelta
    next_run: datetime
    last_state: str = ""
    last_started_at: datetime | None = None
    last_finished_at: datetime | None = None
    last_as_of: str = ""
    summary: dict = field(default_factory=dict)
    last_completed_at: datetime | None = None
    late: bool = False
    failed: bool = False

    @property
    def duration(self) -> timedelta | None:
        if self.last_started_at and self.last_finished_at:
            return self.last_finished_at - self.last_started_at
        return None

    @property
    def healthy(self) -> bool:
        return not (self.late or self.failed)


def flow_health(session: Session, schedules, now: datetime) -> list[FlowHealth]:
    """The health at `now` of each scheduled flow; `schedules` are prefect.yaml's deployments
    (flows/registry.py: name, cron, timezone, description)."""
    first = session.exec(select(func.min(FlowRun.started_at))).one()
    return [_health(session, s, _aware(now), _aware(first) if first else None) for s in schedules]


def _health(session: Session, schedule, now: datetime, first_run: datetime | None) -> FlowHealth:
    next_run = next_fire(schedule.cron, now, ZoneInfo(schedule.timezone))
    interval = next_fire(schedule.cron, next_run, ZoneInfo(schedule.timezone)) - next_run
    health = FlowHealth(schedule.name, schedule.description, schedule.cron, interval, next_run)
    runs = select(FlowRun).where(FlowRun.name == schedule.name).order_by(FlowRun.started_at.desc(), FlowRun.id.desc())
    last = session.exec(runs.limit(1)).first()
    completed = session.exec(runs.where(FlowRun.state == "completed").limit(1)).first()
    if last:
        health.last_state, health.last_as_of, health.summary = last.state, last.as_of, last.summary
        health.last_started_at, health.last_finished_at = _aware(last.started_at), _aware(last.finished_at)
        health.failed = last.state == "failed"
    if completed:
        health.last_completed_at = _aware(completed.finished_at or completed.started_at)
    since = health.last_completed_at or first_run
    health.late = since is None or now - since > 2 * interval
    return health


# --- cron -------------------------------------------------------------------------------------

_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def next_fire(cron: str, after: datetime, tz: ZoneInfo) -> datetime:
    """The first instant strictly after `after` that the 5-field cron matches in `tz` (UTC, aware)."""
    minutes, hours, days, months, weekdays = (_field(text, *_RANGES[i]) for i, text in enumerate(cron.split()))
    any_day, any_weekday = cron.split()[2] == "*", cron.split()[4] == "*"
    local = after.astimezone(tz)
    day = local.date()
    for _ in range(366 * 8):
        if day.month in months and _day_matches(day, days, weekdays, any_day, any_weekday):
            for hour in sorted(hours):
                for minute in sorted(minutes):
                    at = datetime.combine(day, time(hour, minute), tzinfo=tz)
                    if at > local:
                        return at.astimezone(timezone.utc)
        day += timedelta(days=1)
    raise ValueError(f"cron {cron!r} never fires")


def _day_matches(day: date, days: set[int], weekdays: set[int], any_day: bool, any_weekday: bool) -> bool:
    """Cron's rule: when both day-of-month and day-of-week are restricted, either may match."""
    weekday = (day.weekday() + 1) % 7  # cron: 0 (or 7) is Sunday
    by_day, by_weekday = day.day in days, weekday in weekdays or (weekday == 0 and 7 in weekdays)
    if not any_day and not any_weekday:
        return by_day or by_weekday
    return by_day and by_weekday


def _field(text: str, low: int, high: int) -> set[int]:
    """`*`, `5`, `1,4,7`, `1-5`, `*/15`, `0-30/10`."""
    values = set()
    for part in text.split(","):
        span, _, step = part.partition("/")
        start, end = (low, high) if span == "*" else (int(span.split("-")[0]), int(span.split("-")[-1]))
        values.update(range(start, end + 1, int(step or 1)))
    return values


def _aware(at: datetime | None) -> datetime | None:
    """SQLite hands timestamps back naive (in UTC)."""
    return at if at is None or at.tzinfo else at.replace(tzinfo=timezone.utc)
