"""案件质量评查 as a subject (SPEC §4): who fires each event of the review machine, and what it does.

Each step opens the next person's task and closes the last one, and writes its notice in
the same transaction: the reviewer on assignment, the judge with the feedback (一案一反馈),
the review committee on an objection, the judge again for rectification (整改), the
reviewer for the re-review (回头看). A finding of signs of illegal adjudication goes to
inspection as its own task and notice, whatever becomes of the grade.
"""
import secrets
from datetime import date, timedelta

from sqlalchemy import or_
from sqlmodel import select

from policies.assignment import draw
from services.integrity.facts import named_on_case
from services.quality_review import payloads as p
from services.kernel.clock import local_today
from services.kernel.dossier import record_in_dossier
from services.kernel.notify import case_context
from services.kernel.policy import policy
from store.recipients import holders, in_force
from services.kernel.errors import Refused
from services.kernel.subjects import EventSpec, SubjectKind
from services.kernel.tasks import close_tasks, open_task
from statemachines.review import ReviewMachine
from store.models import Case, PanelMember, Review, RoleGrant, User
from store.outbox import enqueue

REVIEW_TASKS = ("review_case", "review_feedback", "decide_review_objection", "rectify_review", "rereview_case")


def review_policy(session, review: Review):
    return policy(session, review.court_id, "quality_review")


def notify(cmd, review: Review, kind: str, users, step: str, **context) -> int:
    """A notice about the review to each user, once per (review, step, user)."""
    case = cmd.session.get(Case, review.case_id)
    ctx = {**case_context(case), "review_id": review.id, "review_kind": review.kind, **context}
    return enqueue(cmd.session, kind=kind, recipients=[u for u in users if u], dedupe_key=f"review:{review.id}:{step}",
                   at=cmd.now, context=ctx, court_id=review.court_id, subject_kind="reviews", subject_id=review.id)


def _task(cmd, review: Review, kind: str, title: str, due: date | None, key: str, user: int | None = None,
          role: str | None = None) -> None:
    case = cmd.session.get(Case, review.case_id)
    open_task(cmd.session, kind=kind, title=f"{title}：{case.case_number}", subject_kind="reviews",
              subject_id=review.id, court_id=review.court_id, assignee_user_id=user, assignee_role=role,
              due_on=due, at=cmd.now, dedupe_key=f"{kind}:{review.id}:{key}")


def _close(cmd, review: Review, *kinds: str) -> None:
    close_tasks(cmd.session, subject_kind="reviews", subject_id=review.id, kinds=kinds, actor=cmd.actor, at=cmd.now)


# --- who may act ---------------------------------------------------------------------------

def reviewer_candidates(session, review: Review, on: date) -> dict:
    """The conflict sets the machine checks: own judges, same-division people, and who is eligible (by the
    reviewer grants in force on the court day `on`)."""
    rules = review_policy(session, review).reviewers
    rows = session.exec(select(User.id, User.division_id, RoleGrant.division_id)
                        .join(RoleGrant, RoleGrant.user_id == User.id)
                        .where(RoleGrant.role.in_(rules.roles), RoleGrant.court_id == review.court_id, User.active,
                               in_force(on))).all()
    candidates = {uid for uid, _, _ in rows}
    same = {uid for uid, home, granted in rows if review.division_id is not None and review.division_id in (home, granted)}
    case = session.get(Case, review.case_id)
    own = set(session.exec(select(PanelMember.user_id).where(PanelMember.case_id == review.case_id)).all())
    own |= {case.lead_judge_id, review.judge_id} - {None}
    named = named_on_case(session, review.case_id)
    excluded = own | named | (same if rules.exclude_same_division else set())
    return {"own_judges": frozenset(own), "division_members": frozenset(same if rules.exclude_same_division else ()),
            "named_in_records": named, "eligible": tuple(sorted(candidates - excluded))}


def _facts(session, review: Review, now) -> dict:
    return {"today": local_today(now), "rectify_grades": tuple(review_policy(session, review).rectification.grades)}


def _assign_facts(session, review: Review, now) -> dict:
    return {**_facts(session, review, now), **reviewer_candidates(session, review, local_today(now))}


def _is(field: str, who: str):
    def may(session, actor, review, now):
        return None if actor.user_id == getattr(review, field) else Refused("refused.quality_review.only_review_may_do", who=who)
    return may


def _not_party(session, actor, review, now):
    if actor.user_id in (review.judge_id, review.reviewer_id):
        return Refused("refused.quality_review.judge_reviewer_case_cannot_decide_objection")
    return None


def _reviewer_or_office(session, actor, review, now):
    from services.kernel.access import court_path

    if "trial_office" in actor.roles_at(review.court_id, court_path(session, review.court_id), None):
        return None
    return _is("reviewer_id", "reviewer")(session, actor, review, now)


# --- effects -------------------------------------------------------------------------------

def _assign(cmd, review: Review, data: p.Assign):
    s, today = cmd.session, local_today(cmd.now)
    reviewer = data.reviewer_id
    if reviewer is None:
        review.assignment_seed = f"review:{review.id}|{cmd.now.isoformat()}|{secrets.token_hex(8)}"
        reviewer = draw(list(reviewer_candidates(s, review, today)["eligible"]), review.assignment_seed)
    else:
        review.assignment_seed = ""
    _close(cmd, review, "review_case")  # a reassignment ends the previous reviewer's task
    review.reviewer_id, review.assigned_on = reviewer, today
    review.reviewer_division_id = s.get(User, reviewer).division_id
    review.review_due = today + timedelta(days=review_policy(s, review).reviewers.review_days)
    _task(cmd, review, "review_case", "案件质量评查", review.review_due, f"u{reviewer}", user=reviewer)
    notify(cmd, review, "review_assigned", [reviewer], f"assigned:{reviewer}", due_on=review.review_due)


def _grade(cmd, review: Review, data: p.Grade):
    s, today = cmd.session, local_today(cmd.now)
    review.grade, review.findings, review.summary = data.grade, data.findings_list(), data.summary
    review.graded_on = today
    review.objection_due = today + timedelta(days=review_policy(s, review).objection.window_days)
    _close(cmd, review, "review_case")
    _task(cmd, review, "review_feedback", "评查反馈（可提出异议）", review.objection_due, "1", user=review.judge_id)
    notify(cmd, review, "review_feedback", [review.judge_id], "feedback", grade=data.grade,
           findings=review.findings, objection_due=review.objection_due)
    if data.illegal_signs:
        _refer_to_inspection(cmd, review, data.referral_note or data.summary)


def _refer_to_inspection(cmd, review: Review, note: str):
    """违法审判线索: a task and a notice for inspection, on their own; the grade goes its own way."""
    review.referred_on, review.referral_note = local_today(cmd.now), note
    _task(cmd, review, "inspection_referral", "评查发现违法审判线索，移送审查", None, "1", role="inspection")
    notify(cmd, review, "review_referral", holders(cmd.session, "inspection", review.court_id, on=local_today(cmd.now)), "referral",
           note=note)


def _object(cmd, review: Review, data: p.Objection):
    today = local_today(cmd.now)
    review.objection, review.objected_on = data.reason, today
    review.decision_due = today + timedelta(days=review_policy(cmd.session, review).objection.decide_days)
    _close(cmd, review, "review_feedback")
    _task(cmd, review, "decide_review_objection", "评查异议待评查委员会决定", review.decision_due, "1",
          role="committee")
    notify(cmd, review, "review_objection", holders(cmd.session, "committee", review.court_id, on=local_today(cmd.now)), "objection",
           grade=review.grade, reason=data.reason, decision_due=review.decision_due)


def _decide_objection(cmd, review: Review, data: p.DecideObjection):
    review.objection_decision, review.objection_decided_on = data.reason, local_today(cmd.now)
    _close(cmd, review, "decide_review_objection")
    final = data.new_grade if data.outcome == "upheld" else review.grade
    notify(cmd, review, "review_objection_decided", [review.judge_id, review.reviewer_id], "objection_decided",
           outcome=data.outcome, grade=final, reason=data.reason)
    _finalise(cmd, review, final)


def _finalise(cmd, review: Review, final: str):
    """The grade is final: rectification if it needs one, else the review closes."""
    s, today = cmd.session, local_today(cmd.now)
    review.final_grade, review.final_on = final, today
    _close(cmd, review, "review_feedback")
    record_in_dossier(s, at=cmd.now, user_id=review.judge_id, on=today, kind="review_result",
                      title=f"案件质量评查：{s.get(Case, review.case_id).case_number}（{p.GRADE_ZH[final]}）",
                      dedupe_key=f"review_result:{review.id}", ref_kind="reviews", ref_id=review.id,
                      detail={"grade": final, "kind": review.kind, "category": review.category})
    if review.state == "rectifying":
        _open_rectification(cmd, review, today)
    else:
        _closed(cmd, review)


def _open_rectification(cmd, review: Review, today: date):
    review.rectification_due = today + timedelta(days=review_policy(cmd.session, review).rectification.due_days)
    _task(cmd, review, "rectify_review", "评查整改", review.rectification_due, str(review.rectification_due),
          user=review.judge_id)
    notify(cmd, review, "review_rectification", [review.judge_id], f"rectification:{review.rectification_due}",
           grade=review.final_grade, rectification_due=review.rectification_due)


def _closed(cmd, review: Review):
    review.closed_on = local_today(cmd.now)
    _close(cmd, review, *REVIEW_TASKS)
    notify(cmd, review, "review_closed", [review.judge_id], "closed", grade=review.final_grade)


def _report_rectification(cmd, review: Review, data: p.Rectification):
    today = local_today(cmd.now)
    review.rectification_report, review.rectified_on = data.report, today
    _close(cmd, review, "rectify_review")
    review.review_due = today + timedelta(days=review_policy(cmd.session, review).reviewers.review_days)
    _task(cmd, review, "rereview_case", "评查回头看", review.review_due, str(today), user=review.reviewer_id)
    notify(cmd, review, "review_rereview", [review.reviewer_id], f"rereview:{today}", report=data.report)


def _confirm(cmd, review: Review, data: p.Rereview):
    review.rereview_note = data.note
    _closed(cmd, review)


def _reject(cmd, review: Review, data: p.RejectRectification):
    review.rereview_note = data.reason
    _close(cmd, review, "rereview_case")
    _open_rectification(cmd, review, local_today(cmd.now))


def review_public(review: Review) -> dict:
    return {"case_id": review.case_id, "kind": review.kind, "category": review.category, "month": review.month,
            "judge_id": review.judge_id, "reviewer_id": review.reviewer_id, "review_due": review.review_due,
            "grade": review.grade, "findings": review.findings, "summary": review.summary,
            "graded_on": review.graded_on, "objection_due": review.objection_due, "objection": review.objection,
            "decision_due": review.decision_due, "objection_decision": review.objection_decision,
            "final_grade": review.final_grade, "final_on": review.final_on,
            "rectification_due": review.rectification_due, "rectification_report": review.rectification_report,
            "rereview_note": review.rereview_note, "closed_on": review.closed_on, "referred_on": review.referred_on}


def _places(review: Review) -> list[tuple[int, int | None]]:
    places = [(review.court_id, review.division_id)]
    if review.reviewer_division_id is not None:
        places.append((review.court_id, review.reviewer_division_id))
    return places


def _places_where(session, actor):
    """_places in SQL: a court-wide grant covers the court whatever the division, so a review with no reviewing
    division needs no clause of its own."""
    return or_(actor.covering(Review.court_id, Review.division_id),
               actor.covering(Review.court_id, Review.reviewer_division_id))


def _spec(name, roles, payload=p._Payload, may=None, apply=None, facts=_facts):
    return EventSpec(name, frozenset(roles), payload, may=may, apply=apply, facts=facts)


REVIEWERS = {"judge", "trial_office"}
EVENTS = [
    _spec("assign", {"trial_office"}, p.Assign, apply=_assign, facts=_assign_facts),
    _spec("start", REVIEWERS, may=_is("reviewer_id", "reviewer")),
    _spec("grade", REVIEWERS, p.Grade,
          _is("reviewer_id", "reviewer"), _grade),
    _spec("file_objection", {"judge"}, p.Objection, _is("judge_id", "judge"), _object),
    _spec("accept", {"judge"}, may=_is("judge_id", "judge"),
          apply=lambda cmd, r, d: _finalise(cmd, r, r.grade)),
    _spec("finalise", {"system"},
          apply=lambda cmd, r, d: _finalise(cmd, r, r.grade)),
    _spec("decide_objection", {"committee"}, p.DecideObjection,
          _not_party, _decide_objection),
    _spec("report_rectification", {"judge"}, p.Rectification,
          _is("judge_id", "judge"), _report_rectification),
    _spec("confirm_rectification", REVIEWERS, p.Rereview,
          _reviewer_or_office, _confirm),
    _spec("reject_rectification", REVIEWERS,
          p.RejectRectification, _reviewer_or_office, _reject),
]

REVIEWS = SubjectKind(
    name="reviews", model=Review, machine=ReviewMachine, public=review_public,
    title=lambda r: f"案件质量评查 #{r.id}",
    scopes=_places, sees_where=_places_where, events={e.name: e for e in EVENTS},
)
