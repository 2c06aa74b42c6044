"""Schema of petitions.yaml (信访, SPEC §10): the answer period, reminder, warning and escalation.

`answer_dates` is the one place the answer's due date is computed: the period counted from
the day of registration in calendar or working days, then the reminder and escalation days
around it. The dates are stored on the petition, so the daily sweep is an indexed range query.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.duties import duty
from policies.calendar import OfficialCalendar
from policies.roles import Role

RECIPIENT = Literal["handler", "division_chief", "vice_president", "president", "trial_office", "inspection"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Strict):
    period: int = Field(ge=1, json_schema_extra=duty("judge"))
    day_kind: Literal["calendar", "working"]
    roll_to_working_day: bool = True


class Reminder(_Strict):
    days_before: int = Field(ge=0)
    recipients: list[RECIPIENT]


class LateWarning(_Strict):
    recipients: list[RECIPIENT]


class Escalation(_Strict):
    days_after_due: int = Field(ge=1)
    task_role: Role
    task_due_days: int = Field(ge=0, json_schema_extra=duty("@task_role"))
    recipients: list[RECIPIENT]


@dataclass(frozen=True)
class AnswerDates:
    due_on: date
    remind_on: date
    escalate_on: date
    calendar_complete: bool


class PetitionPolicy(_Strict):
    answer: Answer
    assign_within_days: int = Field(ge=0, json_schema_extra=duty("trial_office"))
    reminder: Reminder
    warning: LateWarning
    escalation: Escalation
    channels: list[str] = Field(min_length=1)
    matters: list[str] = Field(min_length=1)
    delivery_methods: list[str] = Field(min_length=1)

    def answer_dates(self, registered_on: date, calendar: OfficialCalendar) -> AnswerDates:
        """Due date (the period from registration), reminder day and escalation day of a petition."""
        if self.answer.day_kind == "working":
            due, complete = calendar.add_working_days(registered_on, self.answer.period)
        else:
            due, complete = registered_on + timedelta(days=self.answer.period), True
            if self.answer.roll_to_working_day:
                due, complete = calendar.next_working_day(due)
        return AnswerDates(due, max(registered_on, due - timedelta(days=self.reminder.days_before)),
                           due + timedelta(days=self.escalation.days_after_due), complete)
