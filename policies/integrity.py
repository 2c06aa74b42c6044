"""Schema of integrity.yaml (三个规定): who reads the interference records, when each judge's monthly report
is due, and when a court's quarterly summary goes to the court above; and at which levels of court each item
of the powers and duties lists (权责清单) applies."""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.duties import duty
from policies.roles import Role


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Readers(_Strict):
    inside: list[Role] = Field(min_length=1, description="读取内部人员过问记录")
    outside: list[Role] = Field(min_length=1, description="读取外部干预记录")


class MonthlyReport(_Strict):
    reporter_roles: list[Role] = Field(min_length=1, description="按月报送过问干预情况（或零报告）")
    due_day: int = Field(ge=1, le=28, json_schema_extra=duty("@reporter_roles", unit="day_of_next_month"))


class QuarterlySummary(_Strict):
    day: int = Field(ge=1, le=28, description="the summary of a quarter is written from this day of the next month")
    to_roles: list[Role] = Field(min_length=1, description="收到下级法院季度汇总")


CourtLevel = Literal["basic", "intermediate", "high"]
COURT_LEVELS: tuple[str, ...] = ("basic", "intermediate", "high")


class PowersLists(_Strict):
    """`court_levels`: the levels of court an item applies at, keyed by the most specific name that matches: the
    item itself (`reassignments.approve`, `policy:supervision.supervisor_roles`, a duty's policy path), a keyed
    entry (`procedure:civil-appeal-judgment`), the subject kind or policy file, or the lifecycle. An item no key
    names applies at every level."""
    court_levels: dict[str, list[CourtLevel]] = {}

    def levels(self, names) -> tuple[str, ...]:
        for name in names:
            if name in self.court_levels:
                return tuple(level for level in COURT_LEVELS if level in self.court_levels[name])
        return COURT_LEVELS


class IntegrityPolicy(_Strict):
    readers: Readers
    monthly_report: MonthlyReport
    quarterly_summary: QuarterlySummary
    powers_lists: PowersLists = PowersLists()

