"""Schema of monitoring.yaml: warning thresholds, long-pending grades, approval escalation."""
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

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


class ApprovalEscalation(_Strict):
    superiors: dict[Role, Role]
    task_due_days: int = Field(ge=0)


class MonitoringPolicy(_Strict):
    warnings: Warnings
    overdue: Overdue
    long_pending: list[LongPendingGrade] = Field(min_length=1)
    approval_escalation: ApprovalEscalation

    def buckets(self) -> list[tuple[int, int]]:
        """(threshold, lower bound exclusive): a case with days_left in (low, d] gets warning d."""
        days = self.warnings.days_before
        return [(d, days[i + 1] if i + 1 < len(days) else -1) for i, d in enumerate(days)]
