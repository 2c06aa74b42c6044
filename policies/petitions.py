"""Schema of petitions.yaml (信访, SPEC §10): the answer period and the petitions' lists.

`answer_dates` is the one place the answer's due date is computed: the period counted from
the day of registration in calendar or working days, then the reminder and escalation days
around it (the chase of the answer task, monitoring.yaml `chase.kinds.answer_petition`, gives their
days). The dates are stored on the petition for its pages and record; the answer task carries the due date
the daily chase reads.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.duties import duty
from policies.calendar import OfficialCalendar



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Strict):
    period: int = Field(ge=1, json_schema_extra=duty("judge"))
    day_kind: Literal["calendar", "working"]
    roll_to_working_day: bool = True


@dataclass(frozen=True)
class AnswerDates:
    due_on: date
    remind_on: date
    escalate_on: date
    calendar_complete: bool


class PetitionPolicy(_Strict):
    answer: Answer
    assign_within_days: int = Field(ge=0, json_schema_extra=duty("trial_office"))
    channels: list[str] = Field(min_length=1)
    matters: list[str] = Field(min_length=1)
    delivery_methods: list[str] = Field(min_length=1)

    def answer_dates(self, registered_on: date, calendar: OfficialCalendar, remind_days_before: int = 0,
                     escalate_after_days: int = 0) -> AnswerDates:
        """Due date (the period from registration), reminder day and escalation day of a petition: the chase
        reminds `remind_days_before` the due date and escalates `escalate_after_days` after its overdue day."""
        if self.answer.day_kind == "working":
            due, complete = calendar.add_working_days(registered_on, self.answer.period)
        else:
            due, complete = registered_on + timedelta(days=self.answer.period), True
            if self.answer.roll_to_working_day:
                due, complete = calendar.next_working_day(due)
        return AnswerDates(due, max(registered_on, due - timedelta(days=remind_days_before)),
                           due + timedelta(days=1 + escalate_after_days), complete)
