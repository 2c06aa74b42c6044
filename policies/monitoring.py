"""Schema of monitoring.yaml: warning thresholds, long-pending grades, and how every task's due date is chased."""
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from policies.roles import Role, known_role


def _recipient(name: str) -> str:
    return name if name == "lead_judge" else known_role(name)


Recipient = Annotated[str, AfterValidator(_recipient)]
"""A role, or the case's lead judge."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Warnings(_Strict):
    days_before: list[int] = Field(min_length=1)
    recipients: list[Recipient]

    @field_validator("days_before")
    @classmethod
    def _descending_positive(cls, v: list[int]) -> list[int]:
        if any(d <= 0 for d in v) or len(set(v)) != len(v):
            raise ValueError("thresholds must be distinct whole numbers of days ≥ 1")
        return sorted(v, reverse=True)


class Overdue(_Strict):
    recipients: list[Recipient]


class LongPendingGrade(_Strict):
    months: int = Field(ge=1)
    roles: list[Role]
    higher_court_roles: list[Role] = []


class AlsoTold(_Strict):
    """Roles at the task's place told at a stage besides whoever holds the task (e.g. the trial office hears of a
    late petition): `remind` with the reminder, `overdue` with the overdue notice, `escalate` with the first
    escalation."""
    remind: list[Role] = []
    overdue: list[Role] = []
    escalate: list[Role] = []


class ChaseRule(_Strict):
    """How a kind of task is chased (挂账督办). Days count from the due date: the reminder goes
    `remind_days_before` days before it; the overdue notice the day after it; the escalation to the
    holder's superior `escalate_after_days` after that day; the second escalation (the superior's
    superior) `second_escalate_after_days` after the first. A supervision duty (`lapse_after_days`
    set, instead of escalations) left open that many days after its overdue day is a lapse of its
    holder (怠于履行). `right`: the task is a window of its holder's right (an objection, a statement), not a
    duty: reminded at most, never called overdue (its lifecycle closes it when the window lapses)."""
    remind_days_before: int | None = Field(default=None, ge=0)
    escalate_after_days: int | None = Field(default=None, ge=0)
    second_escalate_after_days: int | None = Field(default=None, ge=0)
    escalate_to: Role | None = None
    second_escalate_to: Role | None = None
    escalation_kind: str = "supervise_overdue_task"
    escalation_due_days: int = Field(default=3, ge=0)
    lapse_after_days: int | None = Field(default=None, ge=0)
    also_told: AlsoTold = AlsoTold()
    right: bool = False

    @model_validator(mode="after")
    def _second_after_first(self):
        if self.second_escalate_after_days is not None and self.escalate_after_days is None:
            raise ValueError("second_escalate_after_days needs escalate_after_days")
        if self.lapse_after_days is not None and self.escalate_after_days is not None:
            raise ValueError("a supervision duty left overdue is a lapse, not escalated: "
                             "set lapse_after_days or escalate_after_days, not both")
        if self.right and (self.escalate_after_days is not None or self.lapse_after_days is not None
                           or self.also_told.overdue or self.also_told.escalate):
            raise ValueError("a right is reminded at most: it is never overdue, escalated nor a lapse")
        return self


class Chase(_Strict):
    """`superiors`: whom a task held under a role (a person's task: `judge`) is escalated to; `default`:
    the rule of every kind of task `kinds` does not name."""
    superiors: dict[Role, Role]
    default: ChaseRule
    kinds: dict[str, ChaseRule] = {}

    def rule(self, kind: str) -> ChaseRule:
        return self.kinds.get(kind, self.default)

    def superior(self, role: str | None) -> str | None:
        return self.superiors.get(role or "judge")


class MonitoringPolicy(_Strict):
    division_scope: ClassVar[bool] = True  # a division may override it (its warning days, escalations, chase…)
    warnings: Warnings
    overdue: Overdue
    long_pending: list[LongPendingGrade] = Field(min_length=1)
    chase: Chase

    def buckets(self) -> list[tuple[int, int]]:
        """(threshold, lower bound exclusive): a case with days_left in (low, d] gets warning d."""
        days = self.warnings.days_before
        return [(d, days[i + 1] if i + 1 < len(days) else -1) for i, d in enumerate(days)]
