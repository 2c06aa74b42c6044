"""What a person fills in to record an inquiry or interference, and to file a monthly report."""
from typing import Literal

from pydantic import Field

from services.kernel.bounds import Day, Id
from services.kernel.subjects import Payload


class RecordInterference(Payload):
    case_id: Id = Field(description="案件")
    source: Literal["inside", "outside"] = Field(description="内部人员过问 (inside) / 外部干预 (outside)")
    person_name: str = Field(min_length=1, max_length=100, description="过问、干预人姓名")
    person_post: str = Field(default="", max_length=100, description="职务")
    person_org: str = Field(default="", max_length=200, description="单位")
    person_user_id: Id | None = Field(default=None, description="过问、干预人在系统中的账号（如有）")
    occurred_on: Day = Field(description="日期")
    manner: Literal["in_person", "phone", "note", "through_others"] = Field(
        description="方式：当面 in_person / 电话 phone / 批条 note / 托人 through_others")
    asked: str = Field(min_length=2, max_length=4000, description="过问、干预的内容")
    response: str = Field(min_length=2, max_length=4000, description="记录人如何处理")


class FileReport(Payload):
    note: str = Field(default="", max_length=2000, description="说明")
