"""Natural exits and applications (SPEC §6), and re-entry: what each event of
statemachines/quota_exit.ExitRequestMachine records and who may fire it.

A natural exit is recorded by personnel and takes effect when the committee approves it. An
application is checked when filed (in the quota under the policy's years; lead judge of an
important pending case); with a finding it is usually refused, and approving it anyway needs an
override reason. A judge who left for a job need may ask to re-enter within the policy's years."""
from datetime import date

from sqlalchemy import or_
from sqlmodel import select

from policies.deadline import add_months
from policies.quota_exit import application_findings, reentry_refusal
from services.quota_exit import payloads as p
from services.kernel.clock import local_today
from services.quota_exit.effect import leave_quota, reenter_quota
from services.quota_exit.notices import notify_exit
from services.quota_exit.steps import done, dossier, only, task, the_judge
from services.kernel.policy import policy
from services.kernel.subjects import EventSpec
from services.kernel.tasks import cancel_open_tasks
from store.models import Case, User
from store.models.case import PENDING_STATES


def application_checks(session, judge: User, court_id: int, today: date) -> dict:
    """What the policy checks before an application is decided, as stored on the proceeding."""
    rules = policy(session, court_id, "quota_exit")
    important = rules.application_checks.important_case
    numbers = session.exec(select(Case.case_number).where(
        Case.lead_judge_id == judge.id, Case.state.in_(PENDING_STATES),
        or_(Case.party_count >= important.min_parties,
            Case.filed_on <= add_months(today, -important.min_months_pending))).order_by(Case.id)).all()
    findings = application_findings(rules, judge.quota_since, today, list(numbers))
    return {"findings": findings, "quota_since": judge.quota_since.isoformat() if judge.quota_since else None,
            "important_cases": list(numbers)}


def facts(session, row, now) -> dict:
    rules, today = policy(session, row.court_id, "quota_exit"), local_today(now)
    return {"today": today, "reentry_refusal": reentry_refusal(rules, row.ground, row.left_quota_on, today)}


def _approve(cmd, row, data: p.Approve):
    row.override_reason = data.override_reason or None
    row.decided_on, row.decided_by, row.decision, row.decision_reason = (local_today(cmd.now), cmd.actor.user_id,
                                                                        "exit", data.note)
    done(cmd, row, "exit_approve")
    leave_quota(cmd, row)
    override = f"（特殊情况：{data.override_reason}）" if data.override_reason else ""
    dossier(cmd, row, "approved", f"批准退出员额{override}", ground=row.ground)
    notify_exit(cmd, "exit_request_decided", [row.judge_id], f"exit_request:{row.id}:approve", row, approved=True,
                reason=data.override_reason or data.note)


def _refuse(cmd, row, data: p.Reason):
    row.decided_on, row.decided_by, row.decision, row.decision_reason = (local_today(cmd.now), cmd.actor.user_id,
                                                                        "no_exit", data.reason)
    _end(cmd, row, "refused", "员额退出申请未获批准")
    notify_exit(cmd, "exit_request_decided", [row.judge_id], f"exit_request:{row.id}:refuse", row, approved=False,
                reason=data.reason)


def _withdraw(cmd, row, data: p.OptionalReason):
    _end(cmd, row, "withdrawn", "员额退出撤回")


def _end(cmd, row, step: str, title: str):
    row.closed_on = local_today(cmd.now)
    cancel_open_tasks(cmd.session, "exit_proceedings", row.id, cmd.now)
    dossier(cmd, row, step, title)


def _apply_reentry(cmd, row, data: p.Reason):
    task(cmd, row, "exit_approve_reentry", "审批重新入额申请", role="committee")
    dossier(cmd, row, "reentry_applied", "申请重新进入员额", reason=data.reason)


def _approve_reentry(cmd, row, data: p.Note):
    done(cmd, row, "exit_approve_reentry")
    reenter_quota(cmd, row)
    row.closed_on = local_today(cmd.now)


def _refuse_reentry(cmd, row, data: p.Reason):
    done(cmd, row, "exit_approve_reentry")
    dossier(cmd, row, "reentry_refused", "重新入额申请未获批准", reason=data.reason)
    notify_exit(cmd, "exit_request_decided", [row.judge_id], f"exit_request:{row.id}:refuse_reentry", row,
                approved=False, reason=data.reason)


def _withdraw_may(session, actor, row, now):
    if row.state == "applied":
        return the_judge(session, actor, row, now)
    return only("personnel")(session, actor, row, now)


def _reentry_may(session, actor, row, now):
    if actor.user_id == row.judge_id:
        return None
    return only("personnel")(session, actor, row, now)


def _spec(name, roles, payload=p.Note, may=None, apply=None) -> EventSpec:
    return EventSpec(name, frozenset(roles), payload, may=may, apply=apply, facts=facts)


EVENTS = [
    _spec("approve", {"committee"}, p.Approve, only("committee"), _approve),
    _spec("refuse", {"committee"}, p.Reason, only("committee"), _refuse),
    _spec("withdraw", {"judge", "personnel"}, p.OptionalReason, _withdraw_may, _withdraw),
    _spec("apply_reentry", {"judge", "personnel"}, p.Reason,
          _reentry_may, _apply_reentry),
    _spec("approve_reentry", {"committee"}, may=only("committee"),
          apply=_approve_reentry),
    _spec("refuse_reentry", {"committee"}, p.Reason, only("committee"),
          _refuse_reentry),
]
