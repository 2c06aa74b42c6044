"""Schema of an escalation ladder (ladder_<name>.yaml; SPEC §5): when each step is due, what it opens.

A ladder is data. Each step has one condition over a judge's assessment records and one
action. Conditions read the month's record (`months_missed_in_a_row`) or the year's record
(`years_missed_in_a_row`, `year_below_target_share`, `grades`). A step fires when its
condition starts to hold: once per run of periods in which it keeps holding (so a judge
missing 24 months in a row is interviewed once, at month 3), or, with `repeat:
every_period`, in every period it holds (the monthly explanation). A judge who meets the
task breaks the run: the ladder starts again from the bottom.
"""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from policies.duties import duty, keyed_by

ACTIONS = ("explanation", "interview", "admonishment", "committee", "observation", "mandatory_exit")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradeCondition(_Strict):
    grades: list[Literal["excellent", "competent", "basically_competent", "incompetent"]] = Field(min_length=1)
    years_in_a_row: int = Field(default=1, ge=1, le=5)


class Condition(_Strict):
    """Exactly one of these."""
    months_missed_in_a_row: int | None = Field(default=None, ge=1, le=60)
    years_missed_in_a_row: int | None = Field(default=None, ge=1, le=10)
    year_below_target_share: float | None = Field(default=None, gt=0, le=1)
    grades: GradeCondition | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k, v in self.model_dump().items() if v is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one condition, not {given or 'none'}")
        return self

    @property
    def period_kind(self) -> str:
        return "month" if self.months_missed_in_a_row is not None else "year"


class Action(_Strict):
    kind: Literal["explanation", "interview", "admonishment", "committee", "observation", "mandatory_exit"]
    role: Literal["division_chief", "vice_president", "president", "committee", "personnel"] | None = None
    due_working_days: int = Field(default=10, ge=1, le=60, json_schema_extra=duty(
        "@owed_by", unit="working_days", label="ladder.{kind}"))
    months: int | None = Field(default=None, ge=1, le=12, description="length of an observation period")
    ground: str = "assessment_failure"

    @property
    def owed_by(self) -> str:
        """Who must act by the step's due day: the judge writes the explanation (the role reads it); otherwise
        the role conducts the step (an exit has no one's due day: it opens the proceeding)."""
        return "judge" if self.kind == "explanation" else (self.role or "")

    @model_validator(mode="after")
    def _who_and_how_long(self):
        if self.kind != "mandatory_exit" and self.role is None:
            raise ValueError(f"a {self.kind} step names the role that acts on it")
        if (self.kind == "observation") != (self.months is not None):
            raise ValueError("months is given for an observation step, and only for it")
        return self


class Step(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    when: Condition
    repeat: Literal["once_per_run", "every_period"] = "once_per_run"
    action: Action


class Ladder(_Strict):
    name: str
    source: str = ""
    steps: list[Step] = Field(min_length=1, json_schema_extra=keyed_by("step"))

    @model_validator(mode="after")
    def _distinct_keys(self):
        keys = [s.key for s in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"step keys must be distinct: {keys}")
        return self

    @model_validator(mode="after")
    def _observation_ends_in_an_exit(self):
        """An observation of M months opened at N months missed needs an exit step at N + M."""
        exits = {s.when.months_missed_in_a_row for s in self.steps if s.action.kind == "mandatory_exit"}
        for s in self.steps:
            if s.action.kind == "observation" and (s.when.months_missed_in_a_row or 0) + s.action.months not in exits:
                raise ValueError(f"step {s.key}: an observation opened at months_missed_in_a_row "
                                 f"{s.when.months_missed_in_a_row} needs an exit step at "
                                 f"{(s.when.months_missed_in_a_row or 0) + s.action.months}")
        return self


class Facts(BaseModel):
    """One assessment period of one person, as the ladder reads it."""
    model_config = ConfigDict(frozen=True)
    period: str
    met: bool
    missed_streak: int
    quantity: float = 0
    target: float = 0
    grade: str | None = None


def holds(when: Condition, history: list[Facts]) -> bool:
    """Whether the condition holds at the newest period of `history` (newest first, one period kind)."""
    if not history:
        return False
    now = history[0]
    if when.months_missed_in_a_row is not None:
        return now.missed_streak >= when.months_missed_in_a_row
    if when.years_missed_in_a_row is not None:
        return now.missed_streak >= when.years_missed_in_a_row
    if when.year_below_target_share is not None:
        return not now.met and now.quantity < when.year_below_target_share * now.target
    k = when.grades.years_in_a_row
    return len(history) >= k and all(h.grade in when.grades.grades for h in history[:k])


def due(step: Step, history: list[Facts]) -> bool:
    """A step is due when its condition holds now and, unless it repeats, did not hold the period before."""
    if not holds(step.when, history):
        return False
    return step.repeat == "every_period" or not holds(step.when, history[1:])
