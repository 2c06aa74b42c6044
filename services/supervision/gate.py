"""What stands between a case and its decision (SPEC §2, §3), as facts for the case machine's
validators: reports required and not received, and steps that bind the panel still pending."""
from sqlalchemy import func
from sqlmodel import select

from services.kernel.policy import policy
from store.models import (Case, CommitteeReferral, DraftReview, FourTypeFlag, MeetingReferral, PanelMember,
                          RequiredReport)
from store.models.supervision import OPEN_COMMITTEE, OPEN_DRAFT, OPEN_MEETING


def on_panel(session, user_id: int | None, case: Case) -> bool:
    """The lead judge or a seated panel member of the case."""
    if user_id is None:
        return False
    return user_id == case.lead_judge_id or session.exec(select(PanelMember.id).where(
        PanelMember.case_id == case.id, PanelMember.user_id == user_id)).first() is not None


def _count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def review_required(session, case: Case) -> bool:
    """Whether the policy's 阅核 chain for this case is non-empty (by default: four-type cases)."""
    four_type = session.exec(select(FourTypeFlag.id).where(FourTypeFlag.case_id == case.id)).first() is not None
    return bool(policy(session, case.court_id, "supervision", case.division_id).chain_for(four_type))


def pending_steps(session, case: Case) -> tuple[str, ...]:
    steps = []
    if _count(session, CommitteeReferral, CommitteeReferral.case_id == case.id,
              CommitteeReferral.state.in_(OPEN_COMMITTEE)):
        steps.append("the adjudication committee (审判委员会) has not yet decided the referral, and its decision binds "
                     "the panel")
    if _count(session, MeetingReferral, MeetingReferral.case_id == case.id, MeetingReferral.state.in_(OPEN_MEETING)):
        steps.append("the panel has not yet answered the professional judges' meeting (adopt its view, or record why "
                     "not)")
    if _count(session, DraftReview, DraftReview.case_id == case.id, DraftReview.state.in_(OPEN_DRAFT)):
        steps.append("a draft document is still in review (阅核)")
    elif review_required(session, case) and not _count(session, DraftReview, DraftReview.case_id == case.id,
                                                       DraftReview.state == "approved"):
        steps.append("the draft document must first pass review (阅核) up the policy's chain")
    return tuple(steps)


def decide_facts(session, case: Case) -> dict:
    """outstanding_reports, outstanding_searches and pending_steps for the case machine."""
    required = (RequiredReport.case_id == case.id, RequiredReport.state == "required")
    return {"outstanding_reports": _count(session, RequiredReport, *required),
            "outstanding_searches": _count(session, RequiredReport, *required,
                                           RequiredReport.kind == "similar_case_search"),
            "pending_steps": pending_steps(session, case)}
