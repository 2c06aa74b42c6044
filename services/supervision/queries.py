"""What the supervision pages and API show: a case's supervision record, and the supervisor's board."""
from datetime import date

from sqlmodel import select

from policies.supervision import CATEGORIES
from services.kernel.actor import Actor
from services.cases.facts import visibility
from services.kernel.tasks import mine_clause
from store.models import (Case, CommitteeParticipant, CommitteeReferral, DraftReview, DraftReviewAction,
                          FourTypeFlag, FourTypeProposal, MeetingOpinion, MeetingReferral, RequiredReport, Supervision,
                          SupervisionMeasure, Task, User)

BOARD_LIMIT = 200


def _rows(session, model, *where, order=None):
    return list(session.exec(select(model).where(*where).order_by(order if order is not None else model.id)).all())


def _names(session, ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.exec(select(User).where(User.id.in_(ids))).all()}


def case_supervision(session, case: Case) -> dict:
    """Flags, supervision and its measures, required reports, meetings, committee referrals and drafts of a case."""
    flags = _rows(session, FourTypeFlag, FourTypeFlag.case_id == case.id, order=FourTypeFlag.category)
    sup = session.exec(select(Supervision).where(Supervision.case_id == case.id)).first()
    measures = _rows(session, SupervisionMeasure, SupervisionMeasure.case_id == case.id)
    reports = _rows(session, RequiredReport, RequiredReport.case_id == case.id)
    meetings = _rows(session, MeetingReferral, MeetingReferral.case_id == case.id)
    opinions = _rows(session, MeetingOpinion, MeetingOpinion.meeting_id.in_([m.id for m in meetings]))
    committee = _rows(session, CommitteeReferral, CommitteeReferral.case_id == case.id)
    participants = _rows(session, CommitteeParticipant,
                         CommitteeParticipant.referral_id.in_([c.id for c in committee]))
    drafts = _rows(session, DraftReview, DraftReview.case_id == case.id)
    actions = _rows(session, DraftReviewAction, DraftReviewAction.draft_id.in_([d.id for d in drafts]))
    proposals = _rows(session, FourTypeProposal, FourTypeProposal.case_id == case.id)
    names = _names(session, [m.actor_id for m in measures] + [o.user_id for o in opinions]
                   + [p.user_id for p in participants] + [a.reviewer_id for a in actions] + [r.required_by for r in reports])
    return {
        "flags": [{"category": f.category, "category_name": CATEGORIES[f.category], "source": f.source,
                   "reason": f.reason, "flagged_on": f.flagged_on} for f in flags],
        "proposals": [{"id": p.id, "category": p.category, "source": p.source, "state": p.state} for p in proposals],
        "supervision": ({"id": sup.id, "state": sup.state, "report_due": sup.report_due, "reported_on": sup.reported_on,
                         "report_text": sup.report_text, "ended_on": sup.ended_on} if sup else None),
        "measures": [{"kind": m.kind, "by": names.get(m.actor_id, ""), "at": m.at, "on": m.on, "note": m.note,
                      "ref": f"/s/{m.ref_kind}/{m.ref_id}" if m.ref_kind else None} for m in measures],
        "reports": [{"id": r.id, "kind": r.kind, "state": r.state, "due_on": r.due_on, "required_by":
                     names.get(r.required_by, ""), "received_on": r.received_on} for r in reports],
        "meetings": [{"id": m.id, "question": m.question, "options": m.options, "state": m.state,
                      "majority_view": m.majority_view, "unanimous": m.unanimous, "answer_reason": m.answer_reason,
                      "opinions": [{"by": names.get(o.user_id, ""), "view": o.view, "reasoning": o.reasoning}
                                   for o in opinions if o.meeting_id == m.id]} for m in meetings],
        "committee": [{"id": c.id, "question": c.question, "state": c.state, "decision": c.decision,
                       "reasons": c.reasons, "decided_on": c.decided_on, "publish": c.publish,
                       "withheld_ground": c.withheld_ground, "judgment_doc_ref": c.judgment_doc_ref,
                       "participants": [names.get(p.user_id, "") for p in participants if p.referral_id == c.id]}
                      for c in committee],
        "drafts": [{"id": d.id, "document_kind": d.document_kind, "outcome": d.outcome, "state": d.state,
                    "round": d.round, "chain": d.chain, "step": d.step,
                    "actions": [{"by": names.get(a.reviewer_id, ""), "role": a.role, "action": a.action,
                                 "note": a.note, "round": a.round} for a in actions if a.draft_id == d.id]}
                   for d in drafts],
    }


def board(session, actor: Actor, today: date) -> dict:
    """督办看板: flagged cases under supervision, reports due and overdue, drafts awaiting my review."""
    seen = select(Case.id).where(visibility(session, actor)).scalar_subquery()
    flagged = session.exec(
        select(Supervision, Case).join(Case, Case.id == Supervision.case_id)
        .where(Supervision.state != "ended", Supervision.case_id.in_(seen))
        .order_by(Supervision.report_due.is_(None), Supervision.report_due, Supervision.id).limit(BOARD_LIMIT)).all()
    categories: dict[int, list[int]] = {}
    for f in session.exec(select(FourTypeFlag).where(FourTypeFlag.case_id.in_([c.id for _, c in flagged]))).all():
        categories.setdefault(f.case_id, []).append(f.category)
    reports = session.exec(
        select(RequiredReport, Case).join(Case, Case.id == RequiredReport.case_id)
        .where(RequiredReport.state == "required", RequiredReport.case_id.in_(seen))
        .order_by(RequiredReport.due_on.is_(None), RequiredReport.due_on).limit(BOARD_LIMIT)).all()
    drafts = session.exec(
        select(Task, DraftReview, Case).join(DraftReview, DraftReview.id == Task.subject_id)
        .join(Case, Case.id == DraftReview.case_id)
        .where(Task.subject_kind == "drafts", Task.kind == "review_draft", Task.state == "open", mine_clause(actor))
        .order_by(Task.id).limit(BOARD_LIMIT)).all()
    return {
        "flagged": [{"case_id": c.id, "case_number": c.case_number, "cause": c.cause, "supervision_id": s.id,
                     "state": s.state, "categories": sorted(categories.get(c.id, [])), "report_due": s.report_due,
                     "report_overdue": bool(s.state == "flagged" and s.report_due and s.report_due < today)}
                    for s, c in flagged],
        "reports": [{"id": r.id, "case_id": c.id, "case_number": c.case_number, "kind": r.kind, "due_on": r.due_on,
                     "overdue": bool(r.due_on and r.due_on < today)} for r, c in reports],
        "drafts": [{"id": d.id, "case_id": c.id, "case_number": c.case_number, "document_kind": d.document_kind,
                    "round": d.round, "role": t.assignee_role, "submitted_on": d.submitted_on} for t, d, c in drafts],
    }
