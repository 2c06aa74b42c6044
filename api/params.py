"""Bounded path and query parameters (bounds in services/kernel/bounds.py): out of bounds is a 422 naming the parameter."""
import re
from typing import Annotated

from fastapi import Path, Query, Request
from pydantic import AfterValidator

from services.kernel.bounds import (FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR, MAX_DAYS, MAX_ID, MONTH_PATTERN,
                             PERIOD_PATTERN, checked_month, checked_period)


def _optional(check):
    return AfterValidator(lambda label: None if label is None else check(label))


def DaysQuery(description: str):  # noqa: N802  (reads as the type it annotates)
    """A query span of days (negative: overdue), a century either way."""
    return Query(ge=-MAX_DAYS, le=MAX_DAYS, description=description)


def DayQuery(description: str):  # noqa: N802
    """A query date inside the bounds."""
    return Query(ge=FIRST_DAY, le=LAST_DAY, description=description)


IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
RequiredIdQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
Kind = Annotated[str, Path(max_length=40, description="a kind of subject: cases, petitions, tasks, …")]
PeriodQuery = Annotated[str, Query(pattern=PERIOD_PATTERN, description="2025 · 2025-03 · 2025-Q1 · 2025-H1"),
                        AfterValidator(checked_period)]
OptionalPeriodQuery = Annotated[str | None, Query(pattern=PERIOD_PATTERN, description="2025 · 2025-03 · 2025-Q1"),
                                _optional(checked_period)]
OptionalMonthQuery = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM"),
                               _optional(checked_month)]


WORD = r"[a-z_]{1,40}"


def page_filter(request: Request, name: str, pattern: str = WORD) -> str | None:
    """A page's optional filter read from the query string: kept when it matches `pattern`, otherwise ignored, so a
    hand-edited or hostile link shows the page's default view (never a database error)."""
    value = request.query_params.get(name) or None
    return value if value is not None and re.fullmatch(pattern, value) else None
