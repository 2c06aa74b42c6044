"""延长审限: the request a lead judge files, and its approval or refusal (SPEC §1.1)."""
from datetime import timedelta

from pydantic import Field
from sqlalchemy import or_
from sqlmodel import select

from i18n.words import length_words
from policies.deadline import Duration
from services.kernel.clock import local_today
from services.cases.clock import recompute_deadline
from services.kernel.errors import Invalid, Refused
from services.kernel.notify import notify_users
from services.cases.party_notices import inform_parties
from services.kernel.policy import policy
from store.recipients import high_court_id, holders, parent_court_id
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.kernel.tasks import close_tasks, open_task
from statemachines.extension import ExtensionMachine
from store.db import lock_row
from store.models import Case, ExtensionRequest


def _approver_court(session, case: Case, approver: str) -> int:
    if approver == "president":
        return case.court_id
    court = parent_court_id(session, case.court_id) if approver == "higher_court" else high_court_id(session, case.court_id)
    if court is None:
        raise Refused("refused.cases.extension_must_be_approved_higher_court")
    return court


def _length(step, requested: str) -> str:
    wanted = Duration.parse(requested)
    if step.length and (wanted.unit != step.length.unit or wanted.value > step.length.value):
        raise Invalid("payload.length", "invalid.cases.extension_at_most", length=step.length)
    return str(wanted)


def create_extension_request(cmd, case: Case, data) -> ExtensionRequest:
    """File the request: late is flagged (not refused); the approver gets a task due by the decide-by date.

    The case is locked first: the check for a waiting request and the extension count it numbers
    the request by cannot race another request (uq_extension_waiting backs the check)."""
    s, limits = cmd.session, policy(cmd.session, case.court_id, "time_limits")
    lock_row(s, case)
    steps = limits.procedure(case.procedure).extensions
    if s.exec(select(ExtensionRequest.id).where(ExtensionRequest.case_id == case.id,
                                                ExtensionRequest.state == "requested")).first():
        raise Refused("refused.cases.extension_request_case_already_waiting_decision")
    if case.deadline is None:
        raise Refused("refused.cases.case_has_no_statutory_time_limit")
    if case.extension_count >= len(steps):
        raise Refused("refused.cases.allows_no_further_extension", procedure=case.procedure, extension_count=case.extension_count)
    step, rule, today = steps[case.extension_count], limits.extension_request, local_today(cmd.now)
    request = ExtensionRequest(
        case_id=case.id, court_id=case.court_id, division_id=case.division_id, ordinal=case.extension_count + 1,
        length=_length(step, data.length), reason=data.reason, requested_by=cmd.actor.user_id, requested_on=today,
        decide_by=case.deadline - timedelta(days=rule.decide_at_least_days_before), approver_role="president",
        approver_court_id=_approver_court(s, case, step.approver),
        late=(case.deadline - today).days < rule.file_at_least_days_before)
    s.add(request)
    s.flush()
    open_task(s, kind="approve_extension", title=f"审批延长审限：{case.case_number}", subject_kind="extensions",
              subject_id=request.id, court_id=request.approver_court_id, assignee_role="president",
              due_on=request.decide_by, at=cmd.now, dedupe_key=f"approve_extension:{request.id}")
    notify_users(cmd, "extension_requested", holders(s, "president", request.approver_court_id, on=local_today(cmd.now)),
                 f"extension_requested:{request.id}", case, requested_by=cmd.actor.display_name,
                 reason=f"{request.reason}（申请延长{length_words(request.length, 'zh_CN')}"
                        f"{'，迟于规定期限提出' if request.late else ''}）")
    return request


class Approve(Payload):
    override_reason: str = Field(default="", max_length=1000, description="逾期审批理由（迟延申请或逾期决定时必填）")
    note: str = Field(default="", max_length=1000, description="审批意见")


class Refuse(Payload):
    reason: str = Field(min_length=2, max_length=1000, description="不予批准理由")


def _is_approver(session, actor, req, now):
    from services.kernel.access import court_path

    if req.approver_role not in actor.roles_at(req.approver_court_id, court_path(session, req.approver_court_id), None):
        return Refused("refused.cases.only_court_decides_request", approver_role=req.approver_role, approver_court_id=req.approver_court_id)
    return None


def _is_requester(session, actor, req, now):
    return None if actor.user_id == req.requested_by else Refused("refused.cases.only_judge_who_filed_request_may")


def _facts(session, req, now):
    rule = policy(session, req.court_id, "time_limits").extension_request
    return {"today": local_today(now), "file_days": rule.file_at_least_days_before,
            "decide_days": rule.decide_at_least_days_before}


def _decided(cmd, req, note: str):
    req.decided_by, req.decided_on, req.decision_note = cmd.actor.user_id, local_today(cmd.now), note
    close_tasks(cmd.session, subject_kind="extensions", subject_id=req.id, kinds=("approve_extension",),
                actor=cmd.actor, at=cmd.now)
    return cmd.session.get(Case, req.case_id)


def _approve(cmd, req, data: Approve):
    """Approve under the case's lock, taken before the request's own change is written: the request
    counts only as the extension it was filed as (uq_extension_approved_ordinal backs this)."""
    with cmd.session.no_autoflush:
        case = lock_row(cmd.session, cmd.session.get(Case, req.case_id))
    if req.ordinal != case.extension_count + 1:
        raise Refused("refused.cases.request_was_filed_as_extension_but", ordinal=req.ordinal, extension_count=case.extension_count)
    _decided(cmd, req, data.note)
    req.override_reason = data.override_reason or None
    case.extension_count += 1
    cmd.session.add(req)
    cmd.session.flush()
    recompute_deadline(cmd.session, case)
    cmd.session.add(case)
    notify_users(cmd, "extension_decided", [case.lead_judge_id, req.requested_by], f"extension_decided:{req.id}",
                 case, approved=True, new_deadline=case.deadline, reason=data.note)
    inform_parties(cmd, case, "extension_approved", length=req.length, deadline=case.deadline)


def _refuse(cmd, req, data: Refuse):
    case = _decided(cmd, req, data.reason)
    notify_users(cmd, "extension_decided", [case.lead_judge_id, req.requested_by], f"extension_decided:{req.id}",
                 case, approved=False, reason=data.reason)


def extension_public(req: ExtensionRequest) -> dict:
    return {"case_id": req.case_id, "ordinal": req.ordinal, "length": req.length, "reason": req.reason,
            "requested_by": req.requested_by, "requested_on": req.requested_on, "decide_by": req.decide_by,
            "late": req.late, "approver_role": req.approver_role, "approver_court_id": req.approver_court_id,
            "decided_by": req.decided_by, "decided_on": req.decided_on, "override_reason": req.override_reason}


APPROVERS = frozenset({"president", "vice_president"})
EXTENSIONS = SubjectKind(
    name="extensions", model=ExtensionRequest, machine=ExtensionMachine, public=extension_public,
    title=lambda r: f"延长审限申请 #{r.id}",
    scopes=lambda r: [(r.court_id, r.division_id), (r.approver_court_id, None)],
    sees_where=lambda session, actor: or_(actor.covering(ExtensionRequest.court_id, ExtensionRequest.division_id),
                                          actor.covering(ExtensionRequest.approver_court_id, None)),
    events={
        "approve": EventSpec("approve", APPROVERS, Approve, _is_approver, _approve, _facts),
        "refuse": EventSpec("refuse", APPROVERS, Refuse, _is_approver, _refuse, _facts),
        "withdraw": EventSpec("withdraw", frozenset({"judge"}), may=_is_requester,
                              apply=lambda cmd, req, d: _decided(cmd, req, "withdrawn")),
    },
)
