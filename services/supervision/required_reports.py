"""Reports the case cannot be decided without (SPEC §2, §3): a progress or deliberation report a
supervisor requires by a date, and the similar-case search report (类案检索报告) required where the
panel or a supervisor marks a dispute over the law or a risk of 类案不同判."""
from datetime import date

from pydantic import Field
from sqlmodel import select

from policies.roles import LEADERS
from services.kernel.clock import local_today
from services.cases.facts import on_case
from services.kernel.errors import Invalid, Refused
from services.kernel.notify import notify_users
from services.kernel.record import record
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.supervision.gate import on_panel
from services.kernel.tasks import cancel_open_tasks, close_tasks, open_task
from services.kernel.bounds import Day
from statemachines.supervision import RequiredReportMachine
from store.models import Case, RequiredReport

KINDS = {"progress": "审理进度报告", "deliberation": "评议情况报告", "similar_case_search": "类案检索报告"}


def require_report(cmd, case: Case, kind: str, due_on: date | None, reason: str,
                   supervision_id: int | None = None) -> RequiredReport:
    """Require one report of the lead judge; it blocks the decision until it is received."""
    if due_on is not None and due_on < local_today(cmd.now):
        raise Invalid("payload.due_on", "invalid.supervision.already_past", due_on=due_on)
    if cmd.session.exec(select(RequiredReport.id).where(RequiredReport.case_id == case.id, RequiredReport.kind == kind,
                                                        RequiredReport.state == "required")).first():
        raise Refused("refused.supervision.already_required_case_not_yet_received", report_kind=kind)
    report = RequiredReport(case_id=case.id, court_id=case.court_id, division_id=case.division_id,
                            supervision_id=supervision_id, kind=kind, due_on=due_on, reason=reason,
                            required_by=cmd.actor.user_id, required_at=cmd.now)
    cmd.session.add(report)
    cmd.session.flush()
    if case.lead_judge_id:
        open_task(cmd.session, kind="required_report", title=f"{KINDS[kind]}：{case.case_number}",
                  subject_kind="required_reports", subject_id=report.id, court_id=case.court_id,
                  division_id=case.division_id, assignee_user_id=case.lead_judge_id, due_on=due_on, at=cmd.now,
                  dedupe_key=f"required_report:{report.id}")
    notify_users(cmd, "report_required", [case.lead_judge_id], f"report_required:{report.id}", case,
                 report_kind=KINDS[kind], due_on=due_on, required_by=cmd.actor.display_name, reason=reason)
    record(cmd.session, cmd.actor, "required_reports.require", at=cmd.now, subject_kind="required_reports",
           subject_id=report.id, court_id=case.court_id, why=reason, after={"case_id": case.id, "kind": kind,
                                                                              "due_on": due_on})
    return report


class SearchRequest(Payload):
    reason: str = Field(min_length=2, max_length=1000, description="法律适用争议或类案不同判风险")
    due_on: Day | None = Field(default=None, description="报告期限")


def panel_requires_search(db, actor, case_id: int, data: SearchRequest, now) -> int:
    """The lead judge or a panel member marks the case for a similar-case search report."""
    def run(cmd, case):
        if not on_panel(cmd.session, actor.user_id, case):
            raise Refused("refused.supervision.only_case_lead_judge_panel_marks")
        return require_report(cmd, case, "similar_case_search", data.due_on, data.reason).id
    return on_case(db, actor, "cases.require_similar_case_search", case_id, now, run)


class Submit(Payload):
    text: str = Field(min_length=2, max_length=8000, description="报告内容")


class Withdraw(Payload):
    reason: str = Field(min_length=2, max_length=1000, description="理由")


def _lead(session, actor, report, now):
    case = session.get(Case, report.case_id)
    return None if actor.user_id == case.lead_judge_id else Refused("refused.supervision.only_case_lead_judge_submits_report")


def _requester(session, actor, report, now):
    return None if actor.user_id == report.required_by else Refused("refused.supervision.only_whoever_required_report_may_withdraw")


def _submit(cmd, report: RequiredReport, data: Submit):
    report.received_on, report.received_by, report.text = local_today(cmd.now), cmd.actor.user_id, data.text
    close_tasks(cmd.session, subject_kind="required_reports", subject_id=report.id, kinds=("required_report",),
                actor=cmd.actor, at=cmd.now)
    case = cmd.session.get(Case, report.case_id)
    notify_users(cmd, "report_received", [report.required_by], f"report_received:{report.id}", case,
                 report_kind=KINDS[report.kind], submitted_by=cmd.actor.display_name)


def report_public(r: RequiredReport) -> dict:
    return {"case_id": r.case_id, "report_kind": r.kind, "due_on": r.due_on, "reason": r.reason,
            "required_by": r.required_by, "received_on": r.received_on, "text": r.text}


REQUIRED_REPORTS = SubjectKind(
    name="required_reports", model=RequiredReport, machine=RequiredReportMachine, public=report_public,
    title=lambda r: f"{KINDS.get(r.kind, r.kind)} #{r.id}",
    events={
        "submit": EventSpec("submit", frozenset({"judge"}), Submit, _lead, _submit),
        "withdraw": EventSpec("withdraw",
                              LEADERS | {"judge"}, Withdraw,
                              _requester, lambda c, r, d: cancel_open_tasks(c.session, "required_reports", r.id, c.now)),
    },
)
