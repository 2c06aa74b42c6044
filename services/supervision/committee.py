"""审判委员会 (SPEC §2): a referral (or a proposal a president puts on the agenda), and a decision that
binds the panel, recorded on the case and published with the judgment unless the law forbids."""
from pydantic import Field
from sqlmodel import select

from services.integrity.facts import BARRED, NAMED, named_on_case
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, Refused
from services.kernel.lists import TextList
from services.kernel.notify import notify_users
from services.kernel.powers import lacking_policy
from services.kernel.policy import policy
from services.kernel.record import record
from services.kernel.subjects import EventSpec, NoPayload, Payload, SubjectKind
from services.kernel.tasks import close_tasks, open_task
from statemachines.meeting import CommitteeMachine
from store.models import Case, CommitteeParticipant, CommitteeReferral, User
from store.models.supervision import OPEN_COMMITTEE


def _roles(session, actor, court_id: int, division_id: int | None) -> set[str]:
    from services.kernel.access import court_path

    return actor.roles_at(court_id, court_path(session, court_id), division_id)


def refer_to_committee(cmd, case: Case, question: str, source: str) -> CommitteeReferral:
    """A president refers directly; anyone else's referral is a proposal the president puts on the agenda."""
    s, rules = cmd.session, policy(cmd.session, case.court_id, "supervision", case.division_id).committee
    if s.exec(select(CommitteeReferral.id).where(CommitteeReferral.case_id == case.id,
                                                 CommitteeReferral.state.in_(OPEN_COMMITTEE))).first():
        raise Refused("refused.supervision.case_already_before_adjudication_committee")
    direct = bool(_roles(s, cmd.actor, case.court_id, case.division_id) & set(rules.president_roles))
    referral = CommitteeReferral(case_id=case.id, court_id=case.court_id, division_id=case.division_id,
                                 question=question, source=source, referred_by=cmd.actor.user_id, referred_at=cmd.now,
                                 state="referred" if direct else "proposed")
    s.add(referral)
    s.flush()
    _task_for_next_step(cmd, referral, case)
    record(s, cmd.actor, f"committee_referrals.{'refer' if direct else 'propose'}", at=cmd.now,
           subject_kind="committee_referrals", subject_id=referral.id, court_id=case.court_id, why=question,
           after={"case_id": case.id, "source": source, "state": referral.state})
    return referral


def _task_for_next_step(cmd, referral: CommitteeReferral, case: Case) -> None:
    rules = policy(cmd.session, case.court_id, "supervision", case.division_id).committee
    if referral.state == "proposed":
        kind, title, role = "committee_agenda", "决定是否提交审判委员会", rules.president_roles[0]
    else:
        kind, title, role = "committee_record", "记录审判委员会决定", rules.secretary_role
    open_task(cmd.session, kind=kind, title=f"{title}：{case.case_number}", subject_kind="committee_referrals",
              subject_id=referral.id, court_id=case.court_id, assignee_role=role, at=cmd.now,
              dedupe_key=f"{kind}:{referral.id}")


class Decline(Payload):
    reason: str = Field(min_length=2, max_length=2000, description="不提交的理由")


class Decision(Payload):
    decision: str = Field(min_length=2, max_length=4000, description="审判委员会决定")
    reasons: str = Field(min_length=2, max_length=8000, description="理由")
    participants: TextList = Field(min_length=1, description="参加讨论的委员（用户名，以“；”分隔）")
    publish: bool = Field(default=True, description="随裁判文书公开")
    withheld_ground: str = Field(default="", max_length=1000, description="不公开的法律依据")


def _with_roles(key: str):
    def may(session, actor, referral, now):
        allowed = set(getattr(policy(session, referral.court_id, "supervision", referral.division_id).committee, key))
        held = _roles(session, actor, referral.court_id, referral.division_id)
        if not held & allowed:
            return lacking_policy(f"supervision.committee.{key}", allowed, held)
        return Refused(NAMED) if actor.user_id in named_on_case(session, referral.case_id) else None
    return may


def _closed_task(cmd, referral, kind: str) -> Case:
    close_tasks(cmd.session, subject_kind="committee_referrals", subject_id=referral.id, kinds=(kind,),
                actor=cmd.actor, at=cmd.now)
    return cmd.session.get(Case, referral.case_id)


def _put_on_agenda(cmd, referral, data):
    case = _closed_task(cmd, referral, "committee_agenda")
    cmd.session.flush()
    _task_for_next_step(cmd, referral, case)


def _decline(cmd, referral, data: Decline):
    referral.decline_reason = data.reason
    case = _closed_task(cmd, referral, "committee_agenda")
    notify_users(cmd, "committee_decided", [case.lead_judge_id, referral.referred_by],
                 f"committee_declined:{referral.id}", case, decision="", reasons=data.reason, declined=True)


def _participants(session, referral, usernames: list[str]) -> list[int]:
    users = session.exec(select(User).where(User.username.in_(usernames))).all()
    unknown = set(usernames) - {u.username for u in users}
    if unknown:
        raise Invalid("payload.participants", "invalid.supervision.no_such_user", unknown=', '.join(sorted(unknown)))
    named = named_on_case(session, referral.case_id)
    if any(u.id in named for u in users):  # 三个规定: kept off the committee's discussion of the case
        raise Refused(BARRED, name="、".join(sorted(u.display_name for u in users if u.id in named)),
                      case_number=session.get(Case, referral.case_id).case_number)
    return sorted({u.id for u in users})


def _record(cmd, referral: CommitteeReferral, data: Decision):
    referral.decision, referral.reasons = data.decision, data.reasons
    referral.publish, referral.withheld_ground = data.publish, data.withheld_ground
    referral.decided_on, referral.recorded_by = local_today(cmd.now), cmd.actor.user_id
    for user_id in _participants(cmd.session, referral, data.participants):
        cmd.session.add(CommitteeParticipant(referral_id=referral.id, user_id=user_id))
    case = _closed_task(cmd, referral, "committee_record")
    notify_users(cmd, "committee_decided", [case.lead_judge_id, referral.referred_by],
                 f"committee_decided:{referral.id}", case, decision=data.decision, reasons=data.reasons,
                 declined=False)


def committee_public(r: CommitteeReferral) -> dict:
    return {"case_id": r.case_id, "question": r.question, "source": r.source, "decision": r.decision,
            "reasons": r.reasons, "decided_on": r.decided_on, "publish": r.publish,
            "withheld_ground": r.withheld_ground, "judgment_doc_ref": r.judgment_doc_ref,
            "decline_reason": r.decline_reason}


LEADERS = frozenset({"president", "vice_president", "trial_office"})
COMMITTEE_REFERRALS = SubjectKind(
    name="committee_referrals", model=CommitteeReferral, machine=CommitteeMachine, public=committee_public,
    title=lambda r: f"审判委员会讨论 #{r.id}",
    events={
        "put_on_agenda": EventSpec("put_on_agenda", LEADERS, NoPayload,
                                   _with_roles("president_roles"), _put_on_agenda),
        "decline": EventSpec("decline", LEADERS, Decline, _with_roles("president_roles"),
                             _decline),
        "record_decision": EventSpec("record_decision", LEADERS, Decision,
                                     _with_roles("recorder_roles"), _record),
    },
)
