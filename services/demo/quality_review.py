"""Quality review in the demo court: last month's selection, and 和平 court's first reviews worked
through to feedback, so the board, the chart and the feedback pages have something to show."""
from datetime import datetime

from sqlmodel import select

from services.kernel.auth import actor_for
from services.kernel.clock import local_today
from services.quality_review.sampling import sample_month
from services.quality_review.subject import reviewer_candidates
from services.kernel.engine import fire
from store.models import Court, Review, RoleGrant, User

DEMO_GRADES = ("flaw", "pass", "major_flaw", "error", "pass", "pass", "flaw", "pass")
LEADERS = ("division_chief", "vice_president", "president")  # their inbox stays the demo's own review lists
FINDINGS = {"flaw": "送达回证缺少受送达人签收日期", "major_flaw": "判决书遗漏诉讼请求未予评判",
            "error": "适用法律错误，导致裁判结果错误"}


def seed_reviews(db, now: datetime, seed: str, court_code: str = "辽0102", graded: int = 8) -> None:
    """Select last month's reviews everywhere (fixed seeds); in one court assign and grade the first few,
    and give one reviewer two of the leaders' cases still open (one started, one just assigned) for the demo's
    reviewer login (a leader's case is graded only later, so the leaders' inboxes keep the demo's review lists)."""
    sample_month(db, local_today(now), now, seed=seed)
    with db.read() as session:
        court_id = session.exec(select(Court.id).where(Court.code == court_code)).one()
        office = session.exec(select(User.id).where(User.court_id == court_id,
                                                    User.username.endswith("_trial_office"))).one()
        rows = session.exec(select(Review).where(Review.court_id == court_id)
                            .order_by(Review.id).limit(graded * 2)).all()
        leaders = set(session.exec(select(RoleGrant.user_id).where(RoleGrant.role.in_(LEADERS))).all())
        eligible = {r.id: [u for u in reviewer_candidates(session, r, local_today(now))["eligible"] if u not in leaders] for r in rows}
        plan = [(r.id, eligible[r.id]) for r in rows if r.judge_id not in leaders]
        still_open = [(r.id, [u for u in eligible[r.id] if u != office]) for r in rows if r.judge_id in leaders][:2]
    for i, (review_id, eligible) in enumerate(plan[:graded]):
        reviewer = eligible[(i * 7) % len(eligible)]
        fire(db, actor_for(db, office), "reviews", review_id, "assign", {"reviewer_id": reviewer}, now)
        fire(db, actor_for(db, reviewer), "reviews", review_id, "start", {}, now)
        grade = DEMO_GRADES[i % len(DEMO_GRADES)]
        fire(db, actor_for(db, reviewer), "reviews", review_id, "grade",
             {"grade": grade, "findings": FINDINGS.get(grade, ""), "summary": "演示评查"}, now)
    _leave_open(db, actor_for(db, office), still_open, now)


def _leave_open(db, office, plan: list[tuple[int, list[int]]], now: datetime) -> None:
    """One reviewer (not the office itself) with open work: the first review started, the next only assigned."""
    reviewer = plan[0][1][0] if plan and plan[0][1] else None
    for started, (review_id, eligible) in zip((True, False), plan):
        if reviewer in eligible:
            fire(db, office, "reviews", review_id, "assign", {"reviewer_id": reviewer}, now)
            if started:
                fire(db, actor_for(db, reviewer), "reviews", review_id, "start", {}, now)
