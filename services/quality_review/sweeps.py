"""The daily sweep of quality reviews: lapsed objection windows, reminders and escalations.

For each due date — the reviewer's (review and re-review), the committee's decision on an
objection, the judge's rectification — one reminder before it, one late notice the day
after it (the person responsible and the trial office), and one escalation to the policy's
roles some days later. Each notice is INSERT … SELECT keyed by (review, stage, threshold,
due date, recipient), so a second run the same day adds nothing and a new due date (a
rejected rectification) gets its own notices.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import and_, literal, or_, select

from services.kernel.actor import Actor
from services.kernel.sweeps import NOTICE_COLUMNS, in_courts
from services.kernel.policy import courts_by_policy
from services.kernel.access import Command
from services.kernel.engine import apply_event  # the same path as fire, inside the sweep's transaction
from services.kernel.registry import subject_kind
from store.bulk import insert_select_ignoring_duplicates, json_object, text_of
from store.models import Case, Notice, Review, RoleGrant

STAGES = {  # stage: (states, due column, the person responsible — a user column or a role)
    "review": (("assigned", "reviewing", "rereview"), Review.review_due, Review.reviewer_id),
    "objection_decision": (("objected",), Review.decision_due, "committee"),
    "rectification": (("rectifying",), Review.rectification_due, Review.judge_id),
}


def sweep_reviews(session, as_of: date, now: datetime) -> int:
    """Finalise lapsed objection windows, then send every reminder, late notice and escalation due today."""
    total = finalise_lapsed(session, as_of, now)
    for rules, courts in courts_by_policy(session, "quality_review"):
        for stage, (states, due, responsible) in STAGES.items():
            rule = getattr(rules.reminders, stage)
            where = and_(Review.state.in_(states), in_courts(Review.court_id, courts))
            total += _notices(session, stage, "remind", "review_reminder", responsible, now,
                              and_(where, due >= as_of, due <= as_of + timedelta(days=rule.remind_days_before)))
            late = and_(where, due < as_of)
            for who in (responsible, "trial_office"):
                total += _notices(session, stage, "late", "review_overdue", who, now, late)
            escalated = and_(where, due < as_of - timedelta(days=rule.escalate_after_days))
            for role in rule.escalate_to:
                total += _notices(session, stage, "escalate", "review_escalation", role, now, escalated)
    return total


def _notices(session, stage: str, threshold: str, kind: str, who, now: datetime, where) -> int:
    due = STAGES[stage][1]
    user = who if not isinstance(who, str) else RoleGrant.user_id
    key = (literal("review:") + text_of(Review.id) + literal(f":{stage}:{threshold}:") + text_of(due)
           + literal(":u") + text_of(user))
    ctx = json_object(session, case_number=Case.case_number, review_id=Review.id, stage=literal(stage),
                      due_on=text_of(due))
    stmt = (select(key, literal(kind), user, Review.court_id, literal("reviews"), Review.id, ctx, literal("pending"),
                   literal(0), literal(now), literal(now), literal(""))
            .select_from(Review).join(Case, Case.id == Review.case_id).where(where, user.is_not(None)))
    if isinstance(who, str):
        stmt = stmt.join(RoleGrant, and_(RoleGrant.role == who, RoleGrant.court_id == Review.court_id,
                                         or_(RoleGrant.division_id.is_(None),
                                             RoleGrant.division_id == Review.division_id)))
    return insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, stmt, ["dedupe_key"])


def finalise_lapsed(session, as_of: date, now: datetime) -> int:
    """An objection window that has passed without objection makes the grade final (traced per review)."""
    kind = subject_kind("reviews")
    lapsed = session.exec(select(Review).where(Review.state == "graded", Review.objection_due < as_of)).scalars().all()
    cmd = Command(session, Actor.system(), now)
    for review in lapsed:
        apply_event(cmd, kind, review, "finalise", {})
    return len(lapsed)

