"""What each case event takes. Field descriptions are the Chinese form labels."""
from typing import Literal

from pydantic import Field

from services.kernel.subjects import Payload
from services.kernel.bounds import Day, Id

EXCLUSION_KINDS = Literal["公告", "鉴定", "和解", "管辖异议", "中止", "审计评估", "精神病鉴定"]
CLOSING_METHODS = Literal["判决", "裁定", "调解", "撤诉", "驳回起诉", "准予撤回", "其他"]
REASSIGNMENT_REASONS = Literal["回避", "调动", "健康", "廉政风险", "其他"]


class _Payload(Payload):
    pass


class Assign(_Payload):
    method: Literal["random", "designated", "related", "leader"] = Field(default="random", description="分案方式")
    judge_id: Id | None = Field(default=None, description="指定法官（指定分案）")
    reason: str = Field(default="", max_length=500, description="理由")
    assessor_ground: str = Field(default="", max_length=32, description="人民陪审员参审事由（不选则不适用陪审）")


class Step(_Payload):
    on: Day | None = Field(default=None, description="日期")
    note: str = Field(default="", max_length=500, description="备注")


class OpenExclusion(_Payload):
    kind: EXCLUSION_KINDS = Field(description="扣除事由")
    start: Day = Field(description="开始日期")
    reason: str = Field(default="", max_length=500, description="理由")


class CloseExclusion(_Payload):
    kind: EXCLUSION_KINDS = Field(description="扣除事由")
    end: Day = Field(description="结束日期")


class RequestExtension(_Payload):
    length: str = Field(pattern=r"^[1-9][0-9]*[md]$", description="延长期限（如 6m、30d）")
    reason: str = Field(min_length=2, max_length=1000, description="理由")


class Reason(_Payload):
    reason: str = Field(min_length=2, max_length=1000, description="理由")


class Suspend(_Payload):
    start: Day = Field(description="中止日期")
    reason: str = Field(min_length=2, max_length=1000, description="理由")


class Resume(_Payload):
    end: Day = Field(description="恢复日期")


class RequestReassignment(_Payload):
    reason_code: REASSIGNMENT_REASONS = Field(description="变更事由")
    reason: str = Field(min_length=2, max_length=1000, description="理由")
    to_judge_id: Id | None = Field(default=None, description="拟变更为（空则随机）")
    member_id: Id | None = Field(default=None, description="变更的合议庭成员（空则变更承办法官）")


class Decide(_Payload):
    decided_on: Day = Field(description="裁判日期")
    document_ref: str = Field(default="", max_length=200, description="裁判文书编号")


class Close(_Payload):
    closed_on: Day = Field(description="结案日期")
    closing_method: CLOSING_METHODS = Field(description="结案方式")
    decision_doc_ref: str = Field(default="", max_length=200, description="裁判文书编号")


class Withdraw(_Payload):
    on: Day = Field(description="日期")
    ruling_ref: str = Field(min_length=2, max_length=200, description="准予撤诉裁定书编号")


class Mediate(_Payload):
    on: Day = Field(description="日期")
    document_ref: str = Field(default="", max_length=200, description="调解书编号")


class Transfer(_Payload):
    on: Day = Field(description="日期")
    to_court: str = Field(min_length=2, max_length=100, description="移送法院")
    reason: str = Field(min_length=2, max_length=1000, description="理由")


class Archive(_Payload):
    on: Day = Field(description="归档日期")


NODE_TRIGGERS = Literal["complaint_received", "defence_received", "hearing_scheduled", "took_effect",
                        "appeal_received", "appeal_defence_received", "property_leads_received",
                        "investigation_requested"]
"""policies/nodes.py RECORDED_TRIGGERS: the facts a person records that plan nodes."""
EXEMPTION_GROUNDS = ("state_secret", "juvenile_crime", "mediation", "divorce_custody", "other")
"""不在互联网公布的情形 (法释〔2016〕19号 第四条): state secrets; juvenile crime; mediation or confirming a mediation
agreement (unless public interest requires publication); divorce, or the custody and support of minors; other
grounds the court finds, with a reason the division chief approves."""


class RecordNode(_Payload):
    node: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="流程节点")
    on: Day | None = Field(default=None, description="完成日期")
    note: str = Field(default="", max_length=500, description="备注")


class NoteTrigger(_Payload):
    trigger: NODE_TRIGGERS = Field(description="节点事由")
    on: Day = Field(description="日期（开庭日期）")


class Publish(_Payload):
    on: Day | None = Field(default=None, description="公布日期")
    reference: str = Field(min_length=2, max_length=200, description="公布编号")


class ExemptPublication(_Payload):
    ground: str = Field(default="", max_length=32, description="不公布理由")
    reason: str = Field(default="", max_length=1000, description="说明")


class RecordCheck(_Payload):
    item: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="终本条件")
    evidence: str = Field(min_length=2, max_length=500, description="证明材料（不适用的，说明理由）")
    not_applicable: bool = Field(default=False, description="本案不适用")


class ApproveTermination(_Payload):
    closed_on: Day | None = Field(default=None, description="结案日期")
    ruling_ref: str = Field(min_length=2, max_length=200, description="终结本次执行程序裁定书编号")
