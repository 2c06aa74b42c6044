"""Payloads of the quota-exit events (what a person fills in), validated before anything changes."""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.bounds import Day

Outcome = Literal["exit", "no_exit", "observation"]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Note(_Payload):
    note: str = Field(default="", max_length=1000, description="备注")


class Statement(_Payload):
    text: str = Field(min_length=2, max_length=20000, description="陈述、申辩意见")


class Evidence(_Payload):
    """An evidence file: its name, declared type and bytes (base64); pages fill this from a file input."""
    filename: str = Field(min_length=1, max_length=255, description="文件名")
    content_type: str = Field(default="", max_length=100, description="文件类型")
    content_base64: str = Field(description="文件内容（base64）")
    description: str = Field(default="", max_length=1000, description="证据说明")


class Reason(_Payload):
    reason: str = Field(min_length=2, max_length=5000, description="理由")


class OptionalReason(_Payload):
    reason: str = Field(default="", max_length=5000, description="理由")


class Hearing(_Payload):
    held_on: Day = Field(description="听证日期")
    minutes: str = Field(min_length=2, max_length=20000, description="听证笔录")


class Decide(_Payload):
    outcome: Outcome = Field(description="决定")
    reason: str = Field(min_length=2, max_length=5000, description="理由")
    observation_months: int | None = Field(default=None, ge=1, le=24, description="观察期（月）")

    @model_validator(mode="after")
    def _months_with_observation(self):
        if self.outcome == "observation" and not self.observation_months:
            raise ValueError("an observation period needs its length in months (observation_months)")
        if self.outcome != "observation" and self.observation_months:
            raise ValueError("observation_months applies only to an observation period")
        return self


class Approve(_Payload):
    override_reason: str = Field(default="", max_length=1000, description="特殊情况批准理由（存在不宜退出情形时必填）")
    note: str = Field(default="", max_length=1000, description="审批意见")
