"""变更承办法官: a request with a reason, approved by the policy's approver; parties informed (SPEC §1.2)."""
from pydantic import Field
from sqlmodel import select

from policies.roles import LEADERS
from services.cases.assignment import (assign_picked, assign_random, draw_member, eligible_judges, judge_choices,
                                       member_candidates, refuse_barred)
from services.cases.nodes import plan_nodes
from services.cases.panels import assessor_candidates, change_seat, panel_of, seat_of
from services.kernel.clock import local_today
from services.kernel.bounds import Id
from services.kernel.errors import Refused
from services.kernel.notify import notify_users
from services.cases.party_notices import inform_parties
from services.kernel.policy import policy
from store.recipients import holders
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.kernel.tasks import close_tasks, open_task
from statemachines.reassignment import ReassignmentMachine
from store.db import lock_row
from store.models import Case, ReassignmentRequest, User


def create_reassignment_request(cmd, case: Case, data) -> ReassignmentRequest:
    """File a request to change the lead judge; the case is locked so that one waits at a time
    (uq_reassignment_waiting backs the check)."""
    s = cmd.session
    lock_row(s, case)
    if s.exec(select(ReassignmentRequest.id).where(ReassignmentRequest.case_id == case.id,
                                                   ReassignmentRequest.state == "requested")).first():
        raise Refused("refused.cases.reassignment_request_case_already_waiting_decision")
    refuse_barred(s, case, data.to_judge_id)
    seated = {m.user_id for m in panel_of(s, case.id)}
    seat = seat_of(s, case, data.member_id) if data.member_id is not None else None
    if data.member_id is not None and seat not in ("member", "assessor"):
        raise Refused("refused.cases.not_a_panel_member")
    if seat == "assessor" and data.to_judge_id is not None:
        raise Refused("refused.cases.assessor_drawn_not_picked")
    if data.to_judge_id is not None and (data.to_judge_id not in eligible_judges(s, case, local_today(cmd.now),
                                                                                exclude=case.lead_judge_id)
                                         or data.to_judge_id in seated):
        raise Refused("refused.cases.proposed_judge_not_eligible_quota_judge")
    approver = policy(s, case.court_id, "assignment", case.division_id).reassignment.reasons[data.reason_code]
    request = ReassignmentRequest(
        case_id=case.id, court_id=case.court_id, division_id=case.division_id, from_judge_id=case.lead_judge_id,
        to_judge_id=data.to_judge_id, seat_user_id=data.member_id, reason_code=data.reason_code, reason=data.reason, requested_by=cmd.actor.user_id,
        requested_on=local_today(cmd.now), approver_role=approver)
    s.add(request)
    s.flush()
    division = case.division_id if approver == "division_chief" else None
    open_task(s, kind="approve_reassignment", title=f"审批变更承办法官：{case.case_number}",
              subject_kind="reassignments", subject_id=request.id, court_id=case.court_id, division_id=division,
              assignee_role=approver, due_on=None, at=cmd.now, dedupe_key=f"approve_reassignment:{request.id}")
    notify_users(cmd, "reassignment_requested", holders(s, approver, case.court_id, division, on=local_today(cmd.now)),
                 f"reassignment_requested:{request.id}", case, requested_by=cmd.actor.display_name,
                 reason=f"{data.reason_code}：{data.reason}")
    return request


class Decision(Payload):
    to_judge_id: Id | None = Field(default=None, description="变更为（不选则从符合条件的法官中随机抽取）")
    note: str = Field(default="", max_length=1000, description="审批意见")


class Refuse(Payload):
    reason: str = Field(min_length=2, max_length=1000, description="不予批准理由")


def _is_approver(session, actor, req, now):
    from services.kernel.access import court_path

    if req.approver_role not in actor.roles_at(req.court_id, court_path(session, req.court_id), req.division_id):
        return Refused("refused.cases.only_decides_reassignment_reason", approver_role=req.approver_role, reason_code=req.reason_code)
    return None


def _decided(cmd, req, note: str) -> Case:
    req.decided_by, req.decided_on = cmd.actor.user_id, local_today(cmd.now)
    close_tasks(cmd.session, subject_kind="reassignments", subject_id=req.id, kinds=("approve_reassignment",),
                actor=cmd.actor, at=cmd.now)
    return cmd.session.get(Case, req.case_id)


def _approve(cmd, req, data: Decision):
    """The approver's pick, else the requester's proposal, else a fresh random draw; each is stored. The
    panel follows; the parties are told of the new panel (its node planned)."""
    if req.seat_user_id is not None:
        return _approve_seat(cmd, req, data)
    case = _decided(cmd, req, data.note)
    today = local_today(cmd.now)
    picked = data.to_judge_id or req.to_judge_id
    if picked:
        assign_picked(cmd.session, case, picked, req.from_judge_id, req.reason, cmd.actor.user_id, today)
    else:
        assign_random(cmd.session, case, cmd.now, exclude=req.from_judge_id, method="reassignment")
    req.to_judge_id = case.lead_judge_id
    cmd.session.add(case)
    judge = cmd.session.get(User, case.lead_judge_id)
    notify_users(cmd, "reassignment_decided", [req.from_judge_id, case.lead_judge_id],
                 f"reassignment_decided:{req.id}", case, approved=True, new_judge=judge.display_name)
    inform_parties(cmd, case, "reassignment_approved", reason_code=req.reason_code, judge=judge.display_name)
    if req.from_judge_id is not None:
        change_seat(cmd.session, case, req.from_judge_id, case.lead_judge_id, today)
    plan_nodes(cmd.session, case, "panel_fixed", today, cmd.now)


def _approve_seat(cmd, req, data: Decision):
    """变更合议庭成员: a judge's seat to the approver's pick or the proposal (not already seated), else to a draw
    among the eligible judges not on the panel; an assessor's seat to an assessor drawn from the court's pool."""
    case = _decided(cmd, req, data.note)
    today = local_today(cmd.now)
    seated = {m.user_id for m in panel_of(cmd.session, case.id)}
    picked = data.to_judge_id or req.to_judge_id
    assessor = seat_of(cmd.session, case, req.seat_user_id) == "assessor"
    member = (_drawn_assessor if assessor else _new_member)(cmd, req, case, seated, picked, today)
    change_seat(cmd.session, case, req.seat_user_id, member, today)
    req.to_judge_id = member
    judge = cmd.session.get(User, member)
    told = [req.requested_by, case.lead_judge_id] if assessor else [req.requested_by, req.seat_user_id, member]
    notify_users(cmd, "reassignment_decided", told,
                 f"reassignment_decided:{req.id}", case, approved=True, new_judge=judge.display_name)
    inform_parties(cmd, case, "panel_changed", reason_code=req.reason_code, judge=judge.display_name)
    plan_nodes(cmd.session, case, "panel_fixed", today, cmd.now)


def _new_member(cmd, req, case, seated, picked, today) -> int:
    candidates = member_candidates(cmd.session, case, seated, today)
    refuse_barred(cmd.session, case, picked)
    if picked is not None and picked not in [j for j in eligible_judges(cmd.session, case, today) if j not in seated]:
        raise Refused("refused.cases.chosen_judge_not_eligible")
    if picked is None and not candidates:
        raise Refused("refused.cases.too_few_judges_for_panel", size=len(seated))
    return picked or draw_member(cmd.session, case, candidates, cmd.now, f"变更合议庭成员：{req.reason}")


def _drawn_assessor(cmd, req, case, seated, picked, today) -> int:
    """人民陪审员 are drawn at random, never picked by name; from the pool, not seated, nobody barred."""
    if picked is not None:
        raise Refused("refused.cases.assessor_drawn_not_picked")
    pool = assessor_candidates(cmd.session, case, seated, today)
    if not pool:
        raise Refused("refused.cases.too_few_assessors", needed=1, available=0)
    return draw_member(cmd.session, case, pool, cmd.now, f"变更人民陪审员：{req.reason}", method="assessor")


def _approver_choices(session, req, on) -> dict:
    """The judges the approver may pick for a lead judge's or a judge's seat; none for an assessor's (drawn)."""
    case = session.get(Case, req.case_id)
    if req.seat_user_id is not None and seat_of(session, case, req.seat_user_id) == "assessor":
        return {"to_judge_id": []}
    return {"to_judge_id": judge_choices(session, case, on, req.from_judge_id)}


def _refuse(cmd, req, data: Refuse):
    case = _decided(cmd, req, data.reason)
    notify_users(cmd, "reassignment_decided", [req.requested_by], f"reassignment_decided:{req.id}", case,
                 approved=False, reason=data.reason)


def reassignment_public(req: ReassignmentRequest) -> dict:
    return {"case_id": req.case_id, "from_judge_id": req.from_judge_id, "to_judge_id": req.to_judge_id,
            "seat_user_id": req.seat_user_id, "reason_code": req.reason_code, "reason": req.reason, "requested_by": req.requested_by,
            "requested_on": req.requested_on, "approver_role": req.approver_role, "decided_by": req.decided_by,
            "decided_on": req.decided_on}


APPROVERS = LEADERS
REASSIGNMENTS = SubjectKind(
    name="reassignments", model=ReassignmentRequest, machine=ReassignmentMachine, public=reassignment_public,
    title=lambda r: f"变更承办法官申请 #{r.id}",
    events={
        "approve": EventSpec("approve", APPROVERS, Decision, _is_approver, _approve, choices=_approver_choices),
        "refuse": EventSpec("refuse", APPROVERS, Refuse, _is_approver, _refuse),
        "withdraw": EventSpec("withdraw", frozenset({"judge", "division_chief"}),
                              may=lambda s, a, r, n: None if a.user_id == r.requested_by else Refused("refused.cases.only_requester_may_withdraw"),
                              apply=lambda cmd, req, d: _decided(cmd, req, "withdrawn")),
    },
)
