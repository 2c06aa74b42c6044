"""阅核 (SPEC §2): the lead judge submits a draft of a document kind the policy names; it climbs the
policy's chain (default 庭长 → 分管副院长 for four-type cases). A reviewer approves, suggests the panel
reconsider, refers to the professional judges' meeting, or proposes the adjudication committee.
No reviewer event carries an outcome: only the panel's resubmission changes it."""
from pydantic import Field
from sqlmodel import select

from policies.roles import LEADERS
from services.kernel.clock import local_today
from services.cases.facts import on_case
from services.integrity.facts import NAMED, named_on_case
from services.supervision.committee import refer_to_committee
from services.kernel.errors import Refused
from services.supervision.flags import is_four_type
from services.kernel.lists import TextList
from services.supervision.meetings import refer_to_meeting
from services.kernel.notify import notify_users
from services.kernel.policy import policy
from services.kernel.record import record
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.supervision.gate import on_panel
from services.kernel.tasks import close_tasks, open_task
from statemachines.draft_review import DraftReviewMachine
from store.models import Case, DraftReview, DraftReviewAction
from store.models.case import PENDING_STATES
from store.models.supervision import OPEN_DRAFT


class DraftCreate(Payload):
    document_kind: str = Field(min_length=2, max_length=20, description="文书种类")
    outcome: str = Field(min_length=2, max_length=4000, description="裁判结果（合议庭意见）")
    summary: str = Field(default="", max_length=8000, description="说理要点")


def submit_draft(db, actor, case_id: int, data: DraftCreate, now) -> int:
    """The lead judge submits a draft; it goes to the first reviewer of the chain."""
    def run(cmd, case):
        s, rules = cmd.session, policy(cmd.session, case.court_id, "supervision", case.division_id).draft_review
        if actor.user_id != case.lead_judge_id:
            raise Refused("refused.supervision.only_case_lead_judge_submits_draft")
        if case.state not in PENDING_STATES:
            raise Refused("refused.supervision.case_there_nothing_left_review", state=case.state)
        if data.document_kind not in rules.document_kinds:
            raise Refused("refused.supervision.policy_names_no_review", document_kind=data.document_kind, document_kinds=', '.join(rules.document_kinds))
        chain = policy(s, case.court_id, "supervision", case.division_id).chain_for(is_four_type(s, case.id))
        if not chain:
            raise Refused("refused.supervision.policy_requires_no_review_case_documents")
        if s.exec(select(DraftReview.id).where(DraftReview.case_id == case.id,
                                               DraftReview.state.in_(OPEN_DRAFT))).first():
            raise Refused("refused.supervision.draft_case_already_review_resubmit_that")
        draft = DraftReview(case_id=case.id, court_id=case.court_id, division_id=case.division_id,
                            document_kind=data.document_kind, outcome=data.outcome, summary=data.summary,
                            chain=chain, submitted_by=actor.user_id, submitted_on=local_today(now))
        s.add(draft)
        s.flush()
        _to_reviewer(cmd, draft, case)
        record(s, actor, "drafts.submit", at=now, subject_kind="drafts", subject_id=draft.id, court_id=case.court_id,
               after={"case_id": case.id, "document_kind": draft.document_kind, "outcome": draft.outcome,
                      "chain": chain})
        return draft.id
    return on_case(db, actor, "cases.submit_draft", case_id, now, run)


def _to_reviewer(cmd, draft: DraftReview, case: Case) -> None:
    role = draft.chain[draft.step]
    open_task(cmd.session, kind="review_draft", title=f"阅核{draft.document_kind}：{case.case_number}",
              subject_kind="drafts", subject_id=draft.id, court_id=case.court_id,
              division_id=case.division_id if role == "division_chief" else None, assignee_role=role, at=cmd.now,
              dedupe_key=f"review_draft:{draft.id}:{draft.round}:{draft.step}")


class Note(Payload):
    note: str = Field(default="", max_length=4000, description="阅核意见")


class ReferMeeting(Payload):
    question: str = Field(min_length=2, max_length=1000, description="提请讨论的问题")
    options: TextList = Field(min_length=2, description="可选意见（以“；”分隔）")


class ProposeCommittee(Payload):
    question: str = Field(min_length=2, max_length=1000, description="建议审委会讨论的问题")


class Resubmit(Payload):
    outcome: str = Field(default="", max_length=4000, description="裁判结果（修改后，空则不变）")
    note: str = Field(default="", max_length=4000, description="复议说明")


def _case(session, draft) -> Case:
    return session.get(Case, draft.case_id)


def _reviewer(session, actor, draft, now):
    from services.kernel.access import roles_here

    role = draft.chain[draft.step]
    if role not in roles_here(session, actor, DRAFTS, draft):
        return Refused("refused.supervision.draft_now_with", role=role, value=draft.step + 1, chain=len(draft.chain))
    if on_panel(session, actor.user_id, _case(session, draft)):
        return Refused("refused.supervision.judge_on_case_panel_does_not")
    if actor.user_id in named_on_case(session, draft.case_id):
        return Refused(NAMED)
    return None


def _panel(session, actor, draft, now):
    return None if actor.user_id == _case(session, draft).lead_judge_id else (
        Refused("refused.supervision.only_panel_resubmits_draft"))


def _act(cmd, draft: DraftReview, action: str, note: str) -> Case:
    cmd.session.add(DraftReviewAction(draft_id=draft.id, round=draft.round, step=draft.step, role=draft.chain[draft.step],
                                      reviewer_id=cmd.actor.user_id, action=action, note=note, at=cmd.now))
    close_tasks(cmd.session, subject_kind="drafts", subject_id=draft.id, kinds=("review_draft",), actor=cmd.actor,
                at=cmd.now)
    return _case(cmd.session, draft)


def _approve(cmd, draft: DraftReview, data: Note):
    case = _act(cmd, draft, "approve", data.note)
    if draft.state == "approved":
        draft.approved_on = local_today(cmd.now)
        notify_users(cmd, "draft_reviewed", [case.lead_judge_id], f"draft_reviewed:{draft.id}:{draft.round}", case,
                     document_kind=draft.document_kind, action="approve", note=data.note)
    else:
        draft.step += 1
        cmd.session.flush()
        _to_reviewer(cmd, draft, case)


def _return(action: str, refer=None):
    def apply(cmd, draft: DraftReview, data):
        case = _act(cmd, draft, action, getattr(data, "note", "") or getattr(data, "question", ""))
        if refer:
            refer(cmd, case, data)
        open_task(cmd.session, kind="resubmit_draft", title=f"复议并重新提交{draft.document_kind}：{case.case_number}",
                  subject_kind="drafts", subject_id=draft.id, court_id=case.court_id, division_id=case.division_id,
                  assignee_user_id=case.lead_judge_id, at=cmd.now, dedupe_key=f"resubmit_draft:{draft.id}:{draft.round}")
        notify_users(cmd, "draft_reviewed", [case.lead_judge_id], f"draft_reviewed:{draft.id}:{draft.round}", case,
                     document_kind=draft.document_kind, action=action,
                     note=getattr(data, "note", "") or getattr(data, "question", ""))
    return apply


def _resubmit(cmd, draft: DraftReview, data: Resubmit):
    draft.outcome = data.outcome or draft.outcome
    draft.round, draft.step = draft.round + 1, 0
    close_tasks(cmd.session, subject_kind="drafts", subject_id=draft.id, kinds=("resubmit_draft",), actor=cmd.actor,
                at=cmd.now)
    cmd.session.flush()
    _to_reviewer(cmd, draft, _case(cmd.session, draft))


def draft_public(d: DraftReview) -> dict:
    return {"case_id": d.case_id, "document_kind": d.document_kind, "outcome": d.outcome, "summary": d.summary,
            "chain": d.chain, "step": d.step, "round": d.round, "submitted_on": d.submitted_on,
            "approved_on": d.approved_on}


REVIEWERS = LEADERS


def _r(name, payload, apply):
    return EventSpec(name, REVIEWERS, payload, _reviewer, apply)


DRAFTS = SubjectKind(
    name="drafts", model=DraftReview, machine=DraftReviewMachine, public=draft_public,
    title=lambda d: f"{d.document_kind}（第{d.round}稿）#{d.id}",
    events={e.name: e for e in [
        _r("approve", Note, _approve),
        _r("suggest_reconsideration", Note, _return("suggest_reconsideration")),
        _r("refer_to_meeting", ReferMeeting,
           _return("refer_to_meeting", lambda c, case, d: refer_to_meeting(c, case, d.question, d.options,
                                                                           "draft_review"))),
        _r("propose_committee", ProposeCommittee,
           _return("propose_committee", lambda c, case, d: refer_to_committee(c, case, d.question, "draft_review"))),
        EventSpec("resubmit", frozenset({"judge"}), Resubmit, _panel, _resubmit),
    ]},
)
