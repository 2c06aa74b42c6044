"""四类案件 supervision as a subject (SPEC §3): the lead judge's report, the supervisors' measures,
and the end of supervision when the case is decided. Each measure is a row with who, when and
what, and a trace entry; none of them touches the panel's decision."""
from datetime import date
from typing import Literal

from pydantic import Field
from sqlmodel import select

from policies.roles import LEADERS
from services.integrity.facts import NAMED, named_on_case
from services.kernel.clock import local_today
from services.supervision.committee import refer_to_committee
from services.kernel.errors import Invalid, Refused
from services.kernel.lists import TextList
from services.supervision.meetings import refer_to_meeting
from services.kernel.notify import notify_users
from services.kernel.policy import policy
from services.kernel.powers import lacking_policy
from store.recipients import holders
from services.supervision.required_reports import require_report
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.supervision.gate import decide_facts, on_panel
from services.kernel.tasks import close_tasks
from services.kernel.record import record
from services.kernel.bounds import Day
from statemachines.supervision import SupervisionMachine
from store.jsonable import row_snapshot
from store.models import Case, CommitteeReferral, Supervision, SupervisionMeasure


class _Payload(Payload):
    pass


class Report(_Payload):
    text: str = Field(min_length=2, max_length=4000, description="报告内容")


class Note(_Payload):
    note: str = Field(default="", max_length=1000, description="情况记录")


class Attend(_Payload):
    on: Day = Field(description="庭审日期")
    note: str = Field(default="", max_length=1000, description="情况记录")


class RequireReport(_Payload):
    kind: Literal["progress", "deliberation"] = Field(description="报告类型（progress 审理进度 / deliberation 评议情况）")
    due_on: Day = Field(description="报告期限")
    reason: str = Field(default="", max_length=1000, description="要求")


class RequireSearch(_Payload):
    due_on: Day | None = Field(default=None, description="报告期限")
    reason: str = Field(min_length=2, max_length=1000, description="法律适用争议或类案不同判风险")


class ReferMeeting(_Payload):
    question: str = Field(min_length=2, max_length=1000, description="提请讨论的问题")
    options: TextList = Field(min_length=2, description="可选意见（以“；”分隔）")


class ReferCommittee(_Payload):
    question: str = Field(min_length=2, max_length=1000, description="提请讨论的问题")


def _case(session, sup: Supervision) -> Case:
    return session.get(Case, sup.case_id)


def _supervisor(session, actor, sup, now):
    from services.kernel.access import roles_here

    allowed = set(policy(session, sup.court_id, "supervision", sup.division_id).supervisor_roles)
    held = roles_here(session, actor, SUPERVISIONS, sup)
    if not held & allowed:
        return lacking_policy("supervision.supervisor_roles", allowed, held)
    if on_panel(session, actor.user_id, _case(session, sup)):
        return Refused("refused.supervision.judge_on_case_panel_does_not_2")
    if actor.user_id in named_on_case(session, sup.case_id):
        return Refused(NAMED)
    return None


def _lead_judge(session, actor, sup, now):
    return None if actor.user_id == _case(session, sup).lead_judge_id else Refused("refused.supervision.only_case_lead_judge_reports")


def measure(cmd, sup: Supervision, kind: str, note: str = "", on: date | None = None, ref=None) -> None:
    """Record one measure (who, when, what)."""
    cmd.session.add(SupervisionMeasure(
        supervision_id=sup.id, case_id=sup.case_id, kind=kind, actor_id=cmd.actor.user_id, at=cmd.now,
        on=on or local_today(cmd.now), note=note, ref_kind=ref[0] if ref else None, ref_id=ref[1] if ref else None))


def _report(cmd, sup: Supervision, data: Report):
    case = _case(cmd.session, sup)
    sup.reported_on, sup.reported_by, sup.report_text = local_today(cmd.now), cmd.actor.user_id, data.text
    close_tasks(cmd.session, subject_kind="supervisions", subject_id=sup.id, kinds=("four_type_report",),
                actor=cmd.actor, at=cmd.now)
    duty = policy(cmd.session, sup.court_id, "supervision", sup.division_id).report
    notify_users(cmd, "four_type_reported", holders(cmd.session, duty.to_role, case.court_id, case.division_id, on=local_today(cmd.now)),
                 f"four_type_reported:{sup.id}", case, reported_by=cmd.actor.display_name, text=data.text,
                 late=bool(sup.report_due and sup.reported_on > sup.report_due))


def _attend(cmd, sup, data: Attend):
    case = _case(cmd.session, sup)
    if data.on < case.filed_on or data.on > local_today(cmd.now):
        raise Invalid("payload.on", "invalid.supervision.before_filing_date_future", on=data.on)
    measure(cmd, sup, "attend_hearing", data.note, data.on)


def _require(kind: str | None):
    def apply(cmd, sup, data):
        report = require_report(cmd, _case(cmd.session, sup), kind or data.kind, data.due_on, data.reason, sup.id)
        measure(cmd, sup, f"require_{report.kind}", data.reason, ref=("required_reports", report.id))
    return apply


def _meeting(cmd, sup, data: ReferMeeting):
    meeting = refer_to_meeting(cmd, _case(cmd.session, sup), data.question, data.options, "supervision")
    measure(cmd, sup, "refer_to_meeting", data.question, ref=("meetings", meeting.id))


def _committee(cmd, sup, data: ReferCommittee):
    referral = refer_to_committee(cmd, _case(cmd.session, sup), data.question, "supervision")
    measure(cmd, sup, "refer_to_committee", data.question, ref=("committee_referrals", referral.id))


def _facts(session, sup, now):
    return {"outstanding_searches": decide_facts(session, _case(session, sup))["outstanding_searches"]}


def end_supervision(cmd, case: Case) -> None:
    """督办 ends when the case is decided; the committee's decisions are recorded with the judgment."""
    sup = cmd.session.exec(select(Supervision).where(Supervision.case_id == case.id)).first()
    if sup is not None and sup.state != "ended":
        before = row_snapshot(sup)
        SupervisionMachine(model=sup, state_field="state").send("end")
        sup.ended_on = case.decided_on
        close_tasks(cmd.session, subject_kind="supervisions", subject_id=sup.id, kinds=("four_type_report",),
                    actor=cmd.actor, at=cmd.now)
        cmd.session.add(sup)
        cmd.session.flush()
        record(cmd.session, cmd.actor, "supervisions.end", at=cmd.now, subject_kind="supervisions", subject_id=sup.id,
               court_id=sup.court_id, why="案件已裁判，监管结束", before=before, after=row_snapshot(sup))
    for referral in cmd.session.exec(select(CommitteeReferral).where(
            CommitteeReferral.case_id == case.id, CommitteeReferral.state == "decided")).all():
        referral.judgment_doc_ref = case.decision_doc_ref or ""
        cmd.session.add(referral)


def supervision_public(sup: Supervision) -> dict:
    return {"case_id": sup.case_id, "flagged_on": sup.flagged_on, "report_due": sup.report_due,
            "reported_on": sup.reported_on, "report_text": sup.report_text, "ended_on": sup.ended_on}


SUPERVISORS = LEADERS


def _m(name, payload, apply):
    return EventSpec(name, SUPERVISORS, payload, _supervisor, apply, _facts)


SUPERVISIONS = SubjectKind(
    name="supervisions", model=Supervision, machine=SupervisionMachine, public=supervision_public,
    title=lambda s: f"四类案件监管 #{s.id}",
    events={e.name: e for e in [
        EventSpec("report", frozenset({"judge"}), Report, _lead_judge,
                  _report),
        _m("read_file", Note, lambda c, s, d: measure(c, s, "read_file", d.note)),
        _m("attend_hearing", Attend, _attend),
        _m("require_report", RequireReport, _require(None)),
        _m("require_similar_case_search", RequireSearch,
           _require("similar_case_search")),
        _m("refer_to_meeting", ReferMeeting, _meeting),
        _m("refer_to_committee", ReferCommittee, _committee),
    ]},
)
