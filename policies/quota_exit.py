"""员额退出 rules (SPEC §6): the schema of quota_exit.yaml and the arithmetic of its windows.

Every window of the due process (10-day statement period, 7 days to apply for
reconsideration, 30 days to decide it, 15 days to apply to the higher court, and the
committee's own decision period) is counted from the day after it opens, in calendar or
working days as the policy says; a calendar-day window that ends on a rest day ends on the
next working day. Outcomes are ordered by severity so that a reconsideration or review can
be checked never to be harsher than the decision it revisits (不加重).
"""
from datetime import date, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from i18n import Message

from policies.deadline import add_months

OUTCOMES = ("no_exit", "observation", "exit")
SEVERITY = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}
WINDOW_KINDS = ("statement", "committee_decision", "reconsideration_application", "reconsideration_decision",
                "higher_review_application")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Strict):
    length: int = Field(ge=1)
    days: Literal["calendar", "working"] = "calendar"
    party: Literal["judge", "committee"]


class Grounds(_Strict):
    natural: list[str] = Field(min_length=1)
    mandatory: list[str] = Field(min_length=1)


class Evidence(_Strict):
    max_bytes: int = Field(ge=1)
    types: dict[str, str] = Field(min_length=1)


class ImportantCase(_Strict):
    min_parties: int = Field(ge=1)
    min_months_pending: int = Field(ge=1)


class ApplicationChecks(_Strict):
    min_years_in_quota: int = Field(ge=0)
    important_case: ImportantCase


class Reentry(_Strict):
    grounds: list[str]
    within_years: int = Field(ge=0)


class QuotaExitPolicy(_Strict):
    grounds: Grounds
    windows: dict[str, Window]
    roll_to_working_day: bool = True
    remind_days_before: int = Field(ge=0)
    stay_during_reconsideration: bool = False
    evidence: Evidence
    application_checks: ApplicationChecks
    reentry: Reentry

    @model_validator(mode="after")
    def _every_window_defined(self):
        missing = [k for k in WINDOW_KINDS if k not in self.windows]
        if missing:
            raise ValueError(f"windows: missing {', '.join(missing)}")
        unknown = [k for k in self.windows if k not in WINDOW_KINDS]
        if unknown:
            raise ValueError(f"windows: unknown window {unknown[0]!r} (known: {', '.join(WINDOW_KINDS)})")
        return self

    def ground_path(self, ground: str) -> str | None:
        """'natural' or 'mandatory' for a known ground, else None."""
        if ground in self.grounds.natural:
            return "natural"
        return "mandatory" if ground in self.grounds.mandatory else None


class WorkingDays(Protocol):
    def next_working_day(self, d: date) -> tuple[date, bool]: ...
    def add_working_days(self, d: date, n: int) -> tuple[date, bool]: ...


def window_end(opened_on: date, rule: Window, calendar: WorkingDays, roll_to_working_day: bool = True) -> date:
    """The last day of a window opened on `opened_on` (counted from the next day)."""
    if rule.days == "working":
        return calendar.add_working_days(opened_on, rule.length)[0]
    end = opened_on + timedelta(days=rule.length)
    return calendar.next_working_day(end)[0] if roll_to_working_day else end


def remind_on(closes_on: date, days_before: int, opened_on: date) -> date:
    """The day the party is reminded: `days_before` before the end, never before the window opened."""
    return max(opened_on, closes_on - timedelta(days=days_before))


def is_harsher(outcome: str, than: str) -> bool:
    """Whether `outcome` is more severe than `than` (no_exit < observation < exit)."""
    return SEVERITY[outcome] > SEVERITY[than]


def application_findings(policy: QuotaExitPolicy, quota_since: date | None, today: date,
                         important_cases: list[str]) -> list[str]:
    """Why an application to leave the quota would usually be refused (empty: nothing against it)."""
    findings = []
    years = policy.application_checks.min_years_in_quota
    if quota_since is not None and add_months(quota_since, 12 * years) > today:
        findings.append(f"in the quota since {quota_since}, under {years} years")
    findings += [f"lead judge of the important pending case {number}" for number in important_cases]
    return findings


def reentry_refusal(policy: QuotaExitPolicy, ground: str, left_on: date | None, today: date) -> Message | None:
    """Why a re-entry cannot be asked for (None: it may be, subject to approval)."""
    if ground not in policy.reentry.grounds:
        return Message("refused.quota_exit.reentry_only_for_job_need", grounds=", ".join(policy.reentry.grounds))
    years = policy.reentry.within_years
    if left_on is None or add_months(left_on, 12 * years) < today:
        return Message("refused.quota_exit.reentry_within_years", years=years)
    return None
