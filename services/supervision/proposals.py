"""Contract C3: proposals to flag a case as four-type (e.g. a petition naming the judge's conduct),
decided by the policy's role; and the meeting and committee work credited in assessment (SPEC §5)."""
from datetime import date, datetime

from pydantic import Field
from sqlalchemy import func
from sqlmodel import select

from policies.supervision import CATEGORIES
from policies.roles import LEADERS
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.supervision.flags import flag_case
from services.kernel.policy import policy
from services.kernel.record import record
from services.kernel.errors import Refused
from services.kernel.subjects import EventSpec, NoPayload, Payload, SubjectKind
from services.kernel.tasks import close_tasks, open_task
from services.kernel.access import Command
from statemachines.supervision import ProposalMachine
from store.bulk import insert_ignoring_duplicates
from store.models import (Case, CommitteeParticipant, CommitteeReferral, FourTypeProposal, MeetingOpinion)


def propose_four_type(session, *, case_id: int, category: int, reason: str, source: str, now: datetime) -> int | None:
    """Propose flagging the case in `category` (1–4); once per (case, category, source).

    Returns the new proposal's id, or None when this source already proposed it. The role the
    policy names (default: the trial office) gets a task to accept (→ flag) or decline. Traced."""
    if category not in CATEGORIES:
        raise ValueError(f"category must be 1–4, not {category}")
    case = session.get(Case, case_id)
    if case is None:
        raise ValueError(f"no case {case_id}")
    role = policy(session, case.court_id, "supervision", case.division_id).rules.complaint.decider_role
    row = dict(case_id=case.id, court_id=case.court_id, division_id=case.division_id, category=category,
               reason=reason, source=source, state="proposed", decider_role=role, proposed_at=now, note="", version=1)
    if not insert_ignoring_duplicates(session, FourTypeProposal, [row], ["case_id", "category", "source"]):
        return None
    proposal = session.exec(select(FourTypeProposal).where(
        FourTypeProposal.case_id == case.id, FourTypeProposal.category == category,
        FourTypeProposal.source == source)).one()
    open_task(session, kind="decide_four_type_proposal", title=f"四类案件标注建议（第{category}类）：{case.case_number}",
              subject_kind="four_type_proposals", subject_id=proposal.id, court_id=case.court_id, assignee_role=role,
              at=now, dedupe_key=f"four_type_proposal:{proposal.id}")
    record(session, Actor.system(), "four_type_proposals.propose", at=now, subject_kind="four_type_proposals",
           subject_id=proposal.id, court_id=case.court_id, why=reason,
           after={"case_id": case.id, "category": category, "source": source})
    return proposal.id


def meeting_credits(session, start: date, end: date) -> dict[int, int]:
    """Per user id: opinions given at professional judges' meetings and committee decisions taken
    part in, dated in [start, end] (credited work, SPEC §5)."""
    credits: dict[int, int] = {}
    opinions = (select(MeetingOpinion.user_id, func.count()).where(MeetingOpinion.given_on.between(start, end))
                .group_by(MeetingOpinion.user_id))
    decisions = (select(CommitteeParticipant.user_id, func.count())
                 .join(CommitteeReferral, CommitteeReferral.id == CommitteeParticipant.referral_id)
                 .where(CommitteeReferral.state == "decided", CommitteeReferral.decided_on.between(start, end))
                 .group_by(CommitteeParticipant.user_id))
    for stmt in (opinions, decisions):
        for user_id, count in session.exec(stmt).all():
            credits[user_id] = credits.get(user_id, 0) + count
    return credits


class Decline(Payload):
    reason: str = Field(min_length=2, max_length=1000, description="不予标注的理由")


def _decider(session, actor, proposal, now):
    from services.kernel.access import roles_here

    if proposal.decider_role in roles_here(session, actor, PROPOSALS, proposal):
        return None
    return Refused("refused.supervision.proposal_flag_decided", decider_role=proposal.decider_role)


def _decided(cmd, proposal, note: str) -> Case:
    proposal.decided_by, proposal.decided_on, proposal.note = cmd.actor.user_id, local_today(cmd.now), note
    close_tasks(cmd.session, subject_kind="four_type_proposals", subject_id=proposal.id,
                kinds=("decide_four_type_proposal",), actor=cmd.actor, at=cmd.now)
    return cmd.session.get(Case, proposal.case_id)


def _accept(cmd: Command, proposal, data):
    case = _decided(cmd, proposal, "")
    flag_case(cmd, case, proposal.category, f"proposal:{proposal.id}", proposal.reason)


def proposal_public(p: FourTypeProposal) -> dict:
    return {"case_id": p.case_id, "category": p.category, "reason": p.reason, "source": p.source,
            "decider_role": p.decider_role, "decided_by": p.decided_by, "decided_on": p.decided_on, "note": p.note}


DECIDERS = LEADERS | {"trial_office", "inspection"}
PROPOSALS = SubjectKind(
    name="four_type_proposals", model=FourTypeProposal, machine=ProposalMachine, public=proposal_public,
    title=lambda p: f"四类案件标注建议 #{p.id}",
    events={
        "accept": EventSpec("accept", DECIDERS, NoPayload, _decider, _accept),
        "decline": EventSpec("decline", DECIDERS, Decline, _decider,
                             lambda c, p, d: _decided(c, p, d.reason)),
    },
)
