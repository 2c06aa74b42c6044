"""What each review event takes. Field descriptions are the Chinese form labels."""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.bounds import Id

GRADE = Literal["pass", "flaw", "major_flaw", "error"]
GRADE_ZH = {"pass": "合格", "flaw": "瑕疵", "major_flaw": "重大瑕疵", "error": "差错"}
GRADE_EN = {"pass": "pass", "flaw": "flaw", "major_flaw": "major flaw", "error": "error"}


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Assign(_Payload):
    reviewer_id: Id | None = Field(default=None, description="评查人（空则随机抽取）")


class Grade(_Payload):
    grade: GRADE = Field(description="评查等级（合格 pass / 瑕疵 flaw / 重大瑕疵 major_flaw / 差错 error）")
    findings: str = Field(default="", max_length=4000, description="评查意见（每行一条）")
    summary: str = Field(default="", max_length=2000, description="总体评价")
    illegal_signs: bool = Field(default=False, description="发现违法审判线索（移送监察）")
    referral_note: str = Field(default="", max_length=2000, description="移送监察说明")

    def findings_list(self) -> list[str]:
        return [line.strip() for line in self.findings.splitlines() if line.strip()]


class Objection(_Payload):
    reason: str = Field(min_length=2, max_length=2000, description="异议理由")


class DecideObjection(_Payload):
    outcome: Literal["rejected", "upheld"] = Field(description="评查委员会决定（rejected 驳回 / upheld 成立）")
    new_grade: GRADE | None = Field(default=None, description="异议成立时的评查等级")
    reason: str = Field(min_length=2, max_length=2000, description="决定理由")


class Rectification(_Payload):
    report: str = Field(min_length=2, max_length=4000, description="整改情况报告")


class Rereview(_Payload):
    note: str = Field(default="", max_length=2000, description="回头看意见")


class RejectRectification(_Payload):
    reason: str = Field(min_length=2, max_length=2000, description="整改不到位的理由")
