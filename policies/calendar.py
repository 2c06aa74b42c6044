"""The official PRC working-day calendar (法定节假日与调休), SPEC §1.1.

Weekends and public holidays are not working days; make-up working days (调休) are.
The `chinese_calendar` package knows the State Council's notices for 2004–2026;
policies/defaults/calendar.yaml adds later years (or corrects single days). A day in a
year nobody has data for is judged on weekends alone, and every answer that relied on
that says so (complete=False) rather than guessing silently.
"""

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import chinese_calendar
from pydantic import BaseModel, ConfigDict, model_validator

from policies.loading import DEFAULTS_DIR, load_yaml_model

DEFAULT_CALENDAR_PATH = DEFAULTS_DIR / "calendar.yaml"
ONE_DAY = timedelta(days=1)


class YearData(BaseModel):
    """One year's official notice: days off on weekdays, and weekend make-up workdays."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    holidays: list[date] = []
    workdays: list[date] = []

    @model_validator(mode="after")
    def _no_day_is_both(self):
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"listed as both holiday and workday: {both[0]}")
        return self


class CalendarPolicy(BaseModel):
    """Schema of calendar.yaml: {years: {2027: {holidays: [...], workdays: [...]}}}."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    years: dict[int, YearData] = {}

    @model_validator(mode="after")
    def _dates_in_their_year(self):
        for year, data in self.years.items():
            for d in [*data.holidays, *data.workdays]:
                if d.year != year:
                    raise ValueError(f"date {d} is listed under year {year}")
        return self


class WorkingDay(NamedTuple):
    """A working day, and whether every day examined to find it had official data."""

    date: date
    complete: bool


@lru_cache(maxsize=None)
def package_knows_year(year: int) -> bool:
    """Whether chinese_calendar has the official notice for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class OfficialCalendar:
    """Working days per the official calendar, extended by policy data for other years.

    Policy data wins day by day over the package, so a court can also correct a day.
    """

    def __init__(self, extra_years: dict | None = None):
        years = CalendarPolicy.model_validate({"years": extra_years or {}}).years
        self._policy_years = frozenset(years)
        self._holidays = frozenset(d for y in years.values() for d in y.holidays)
        self._workdays = frozenset(d for y in years.values() for d in y.workdays)

    def knows_year(self, year: int) -> bool:
        return year in self._policy_years or package_knows_year(year)

    def is_working_day(self, d: date) -> bool:
        """Whether `d` is a working day; in an unknown year, whether it is Mon–Fri."""
        if d in self._workdays:
            return True
        if d in self._holidays:
            return False
        if package_knows_year(d.year):
            return chinese_calendar.is_workday(d)
        return d.weekday() < 5

    def next_working_day(self, d: date) -> WorkingDay:
        """`d` itself if it is a working day, else the first working day after it."""
        complete = True
        while True:
            complete = complete and self.knows_year(d.year)
            if self.is_working_day(d):
                return WorkingDay(d, complete)
            d += ONE_DAY

    def add_working_days(self, d: date, n: int) -> WorkingDay:
        """The n-th working day after `d` (d itself not counted); n=0 gives `d`."""
        if n < 0:
            raise ValueError(f"cannot add a negative number of working days: {n}")
        complete = True
        while n:
            d += ONE_DAY
            complete = complete and self.knows_year(d.year)
            n -= self.is_working_day(d)
        return WorkingDay(d, complete)


def load_calendar(path: Path | str | None = None) -> OfficialCalendar:
    """The official calendar extended by calendar.yaml (the shipped default if no path)."""
    policy = load_yaml_model(path or DEFAULT_CALENDAR_PATH, CalendarPolicy)
    return OfficialCalendar(policy.years)
