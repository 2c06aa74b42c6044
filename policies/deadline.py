"""Statutory time-limit arithmetic (审限计算), SPEC §1.1.

The clock starts the day after filing, so a limit of N days ends N days after the
filing date and a limit of N months ends on the same day-of-month N months later.
In this order: filing date + limit, + each approved extension in the order approved,
+ the total excluded days, then rolled forward to a working day (CPL art. 85).
"""

import calendar as _gregorian
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

_DURATION_RE = re.compile(r"([0-9]+)([md])")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Duration:
    """A whole number of months ('m') or days ('d'), e.g. 6m, 30d."""

    value: int
    unit: Literal["m", "d"]

    def __post_init__(self):
        if self.unit not in ("m", "d"):
            raise ValueError(f"invalid duration unit {self.unit!r} (expected 'm' or 'd')")
        if not isinstance(self.value, int) or self.value < 1:
            raise ValueError(
                f"invalid duration length {self.value!r} (expected a whole number ≥ 1)"
            )

    @classmethod
    def parse(cls, text: str) -> "Duration":
        """'6m' -> 6 months, '30d' -> 30 days; anything else is a ValueError."""
        match = _DURATION_RE.fullmatch(text.strip()) if isinstance(text, str) else None
        if not match or int(match.group(1)) < 1:
            raise ValueError(
                f"invalid duration {text!r} (expected a whole number ≥ 1 of months "
                f"or days, e.g. '6m' or '30d')"
            )
        return cls(int(match.group(1)), match.group(2))

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(frozen=True)
class Period:
    """A span of calendar days, both ends inclusive (an excluded period, 扣除审限)."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"period {self.start}:{self.end} ends before it starts")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2025-01-01:2025-01-10' -> Period; a single date is not accepted."""
        start, sep, end = text.partition(":")
        if not sep:
            raise ValueError(
                f"invalid period {text!r} (expected START:END, e.g. 2025-01-01:2025-01-10)"
            )
        return cls(parse_date(start), parse_date(end))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class WorkingDayFinder(Protocol):
    """What compute_deadline needs from a calendar (see policies.calendar)."""

    def next_working_day(self, d: date) -> tuple[date, bool]: ...


@dataclass(frozen=True)
class DeadlineResult:
    """The outcome of compute_deadline; deadline None means the procedure has no limit."""

    filed: date
    limit: Duration | None
    extensions: tuple[Duration, ...]
    extension_months: int
    extension_days: int
    excluded_days: int
    unrolled_deadline: date | None
    deadline: date | None
    rolled_forward: bool
    calendar_complete: bool

    def as_dict(self) -> dict:
        """JSON-ready: dates as YYYY-MM-DD, durations as '6m'/'30d', no limit as None."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "filed": iso(self.filed),
            "limit": str(self.limit) if self.limit else None,
            "extensions": [str(e) for e in self.extensions],
            "extension_months": self.extension_months,
            "extension_days": self.extension_days,
            "excluded_days": self.excluded_days,
            "unrolled_deadline": iso(self.unrolled_deadline),
            "deadline": iso(self.deadline),
            "rolled_forward": self.rolled_forward,
            "calendar_complete": self.calendar_complete,
        }


def parse_date(text: str) -> date:
    """Strict YYYY-MM-DD (date.fromisoformat alone also accepts 20250101 and week dates)."""
    text = text.strip()
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"invalid date {text!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"invalid date {text!r}: {exc}") from None


def add_months(d: date, months: int) -> date:
    """Same day-of-month `months` later, clamped to the last day of a shorter month."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    last_day = _gregorian.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def add_duration(d: date, dur: Duration) -> date:
    if dur.unit == "m":
        return add_months(d, dur.value)
    return d + timedelta(days=dur.value)


def excluded_days(periods: list[Period]) -> int:
    """Total days in the periods, ends inclusive; overlapping days count once."""
    total, covered_to = 0, None
    for p in sorted(periods, key=lambda p: p.start):
        start = p.start if covered_to is None else max(p.start, covered_to + timedelta(days=1))
        if start <= p.end:
            total += (p.end - start).days + 1
        covered_to = p.end if covered_to is None else max(covered_to, p.end)
    return total


def compute_deadline(
    filed: date,
    limit: Duration | None,
    extensions: list[Duration],
    excluded: list[Period],
    calendar: WorkingDayFinder,
) -> DeadlineResult:
    """The deadline of a case per SPEC §1.1; a None limit (e.g. foreign-civil) has none.

    Extensions are applied one after another to the running end date, so month
    clamping follows the order approved (2024-08-31 +6m +6m = 2025-08-28).
    """
    days_out = excluded_days(excluded)
    summary = dict(
        filed=filed, limit=limit, extensions=tuple(extensions),
        extension_months=sum(e.value for e in extensions if e.unit == "m"),
        extension_days=sum(e.value for e in extensions if e.unit == "d"),
        excluded_days=days_out,
    )
    if limit is None:
        if extensions:
            raise ValueError("the procedure has no time limit, so it cannot be extended")
        return DeadlineResult(**summary, unrolled_deadline=None, deadline=None,
                              rolled_forward=False, calendar_complete=True)
    end = add_duration(filed, limit)
    for ext in extensions:
        end = add_duration(end, ext)
    end += timedelta(days=days_out)
    deadline, complete = calendar.next_working_day(end)
    return DeadlineResult(**summary, unrolled_deadline=end, deadline=deadline,
                          rolled_forward=deadline != end, calendar_complete=complete)
