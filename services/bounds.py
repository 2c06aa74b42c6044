"""The bounds every id, year, day and period a request carries must keep, in one place.

A value outside them is refused as invalid input (422 naming the field) before any query runs:
SQLite binds no integer beyond 64 bits, `datetime.date` ends at 9999-12-31 and a deadline or a
period's 同比 reaches months and a year beyond the day given. A court's records lie well inside
1900–2999, so these bounds refuse only typos and attacks."""
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field

from policies.periods import Period

MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL's bigint can bind
FIRST_YEAR, LAST_YEAR = 1900, 2999
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
MAX_DAYS = 36_600  # a span of days (deadline windows): a century either way

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
PERIOD_PATTERN = r"^[0-9]{4}(-([0-9]{2}|Q[1-4]|H[12]))?$"
MONTH_PATTERN = r"^[0-9]{4}-[0-9]{2}$"


def checked_period(label: str) -> str:
    """'2025' · '2025-03' · '2025-Q1' · '2025-H1', with a month 01–12 and a year inside the bounds."""
    period = Period.parse(label)  # ValueError says what a period looks like
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise ValueError(f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}")
    return label


def checked_month(label: str) -> str:
    """A month 'YYYY-MM' (01–12) inside the bounds."""
    if "-" not in label or label[5:6] in ("Q", "H"):
        raise ValueError("not a month: use YYYY-MM")
    return checked_period(label)


PeriodLabel = Annotated[str, Field(pattern=PERIOD_PATTERN, description="2025 · 2025-03 · 2025-Q1 · 2025-H1"),
                        AfterValidator(checked_period)]
MonthLabel = Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM"), AfterValidator(checked_month)]
