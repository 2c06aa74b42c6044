"""What a quota exit does when it takes effect (SPEC §6): the judge leaves the quota that day, each of
their pending cases opens a reassignment request (with the division chief's approval task), their open
tasks go to the division chief's queue, and the dossier records it. A milder outcome on reconsideration puts the judge back; a re-entry approved does too."""
from sqlmodel import select

from i18n.words import date_words, months_words
from policies.deadline import add_months
from services.kernel.access import Command
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.task_operations import reassign_all
from services.cases.facts import RequestReassignment, create_reassignment_request
from services.quota_exit.notices import notify_exit
from services.quota_exit.steps import dossier
from store.recipients import holders
from services.kernel.record import record
from services.kernel.tasks import close_tasks
from store.models import Case, ExitProceeding, ReassignmentRequest, User
from store.models.case import PENDING_STATES


def _set_quota(cmd, judge: User, in_quota: bool, why: str) -> None:
    before = {"is_quota_judge": judge.is_quota_judge, "quota_since": judge.quota_since}
    judge.is_quota_judge = in_quota
    if in_quota:
        judge.quota_since = local_today(cmd.now)
    cmd.session.add(judge)
    record(cmd.session, cmd.actor, "users.quota", at=cmd.now, subject_kind="users", subject_id=judge.id,
           court_id=judge.court_id, why=why, before=before,
           after={"is_quota_judge": judge.is_quota_judge, "quota_since": judge.quota_since})


def _reassign_pending_cases(cmd, p: ExitProceeding) -> list[str]:
    """A reassignment request for every pending case the judge leads (unless one is already waiting)."""
    cases = cmd.session.exec(select(Case).where(Case.lead_judge_id == p.judge_id, Case.state.in_(PENDING_STATES))
                             .order_by(Case.id)).all()
    waiting = set(cmd.session.exec(select(ReassignmentRequest.case_id).where(
        ReassignmentRequest.state == "requested", ReassignmentRequest.case_id.in_([c.id for c in cases]))).all())
    data = RequestReassignment(reason_code="其他", reason=f"承办法官退出员额（员额退出程序 #{p.id}）")
    for case in cases:
        if case.id not in waiting:
            create_reassignment_request(cmd, case, data)
    return [c.case_number for c in cases]


def _hand_open_tasks_to_the_chief(cmd, p: ExitProceeding) -> None:
    """The judge's open tasks are offered to the division chief where each lies, to assign on (one bulk
    reassignment, done by the exit's effect rather than by the person who fired the event)."""
    reassign_all(Command(cmd.session, Actor.system(), cmd.now), from_user_id=p.judge_id, to_role="division_chief",
                 reason=f"承办法官退出员额（员额退出程序 #{p.id}）")


def leave_quota(cmd, p: ExitProceeding) -> None:
    """The exit takes effect today: out of the quota, pending cases to reassignment, dossier, notices."""
    s, today = cmd.session, local_today(cmd.now)
    judge = s.get(User, p.judge_id)
    p.left_quota_on = today
    _set_quota(cmd, judge, False, f"退出员额（员额退出程序 #{p.id}）")
    numbers = _reassign_pending_cases(cmd, p)
    _hand_open_tasks_to_the_chief(cmd, p)
    dossier(cmd, p, "left", f"退出员额，{len(numbers)}件未结案件提请变更承办法官", cases=numbers)
    chiefs = holders(s, "division_chief", judge.court_id, judge.division_id, on=local_today(cmd.now)) if judge.division_id else []
    notify_exit(cmd, "exit_effective", [judge.id, *chiefs], f"exit_effective:{p.id}:left", p, effect="left",
                on=today, cases=len(numbers))


def restore_quota(cmd, p: ExitProceeding) -> None:
    """A milder outcome after the exit was executed: back in the quota; reassignments not yet decided are withdrawn."""
    s, today = cmd.session, local_today(cmd.now)
    judge = s.get(User, p.judge_id)
    p.restored_on = today
    _set_quota(cmd, judge, True, f"员额退出决定变更，恢复员额（员额退出程序 #{p.id}）")
    for request in s.exec(select(ReassignmentRequest).where(
            ReassignmentRequest.state == "requested", ReassignmentRequest.from_judge_id == judge.id,
            ReassignmentRequest.reason.contains(f"#{p.id}）"))).all():
        request.state, request.decided_on = "withdrawn", today
        s.add(request)
        close_tasks(s, subject_kind="reassignments", subject_id=request.id, kinds=("approve_reassignment",),
                    actor=cmd.actor, at=cmd.now)
    dossier(cmd, p, "restored", "员额退出决定变更，恢复员额")
    notify_exit(cmd, "exit_effective", [judge.id], f"exit_effective:{p.id}:restored", p, effect="restored",
                on=today, cases=0)


def start_observation(cmd, p: ExitProceeding) -> None:
    """An observation period takes effect: the judge stays in the quota until it ends."""
    today = local_today(cmd.now)
    until = add_months(today, p.observation_months or 0)
    dossier(cmd, p, "observation", f"员额退出观察期{months_words(p.observation_months or 0, 'zh_CN')}（至{date_words(until, 'zh_CN')}）", until=until)
    notify_exit(cmd, "exit_effective", [p.judge_id], f"exit_effective:{p.id}:observation", p, effect="observation",
                on=today, cases=0, until=until)


def reenter_quota(cmd, p: ExitProceeding) -> None:
    """A re-entry approved: back in the quota from today."""
    judge = cmd.session.get(User, p.judge_id)
    _set_quota(cmd, judge, True, f"重新入额（员额退出 #{p.id}）")
    dossier(cmd, p, "reentered", "经批准重新进入员额")
    notify_exit(cmd, "exit_effective", [judge.id], f"exit_effective:{p.id}:reentered", p, effect="reentered",
                on=local_today(cmd.now), cases=0)
