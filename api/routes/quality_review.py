"""Case quality review: the board list, special reviews, reviewer draws for a month, appeal outcomes, stored draws.

Each review's state and transitions are the generic /api/v1/reviews/{id} routes (services/quality_review/subject.py)."""
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import CurrentActor, DbDep, NowDep
from services.kernel.errors import NotFound
from services.quality_review.queries import assign_selected, board_counts, board_rows
from services.quality_review.sampling import verify_draw
from services.quality_review.subject import review_public
from services.quality_review.special_reviews import AppealOutcomeIn, SpecialCreate, create_special_review, record_appeal_outcome
from services.kernel.access import court_path
from api.params import IdPath, OptionalMonthQuery
from api.responses import Assigned, Created, ReviewBoard, ReviewDrawOut, SpecialReview
from services.kernel.bounds import MonthLabel
from store.models import ReviewDraw

router = APIRouter(prefix="/api/v1", tags=["reviews"])
State = Literal["selected", "assigned", "reviewing", "graded", "objected", "rectifying", "rereview", "closed"]
Grade = Literal["pass", "flaw", "major_flaw", "error"]


@router.get("/reviews", response_model=ReviewBoard)
def get_reviews(actor: CurrentActor, db: DbDep, month: OptionalMonthQuery = None, state: State | None = None,
                grade: Grade | None = None, limit: int = Query(500, ge=1, le=2000)):
    """The trial office's reviews, by month, state and grade, with the counts by state and grade."""
    with db.read() as session:
        rows = board_rows(session, actor, month, state, grade, limit)
        counts = board_counts(session, actor, month)
    items = [{"id": r.review.id, "state": r.review.state, "case_number": r.case_number, "court": r.court,
              "division": r.division, "judge": r.judge, "reviewer": r.reviewer, **review_public(r.review)}
             for r in rows]
    return {"items": items, "counts": counts}


@router.post("/reviews/special", status_code=201, response_model=SpecialReview)
def post_special_review(body: SpecialCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """专项评查: select every closed case the filter matches (409 when none or too many match)."""
    return create_special_review(db, actor, body, now)


class AssignMonth(BaseModel):
    month: MonthLabel


@router.post("/reviews/assign", response_model=Assigned)
def post_assign_month(body: AssignMonth, actor: CurrentActor, db: DbDep, now: NowDep):
    """Draw a reviewer (conflict rules applied) for every selected review of the month in the caller's courts."""
    assigned, refused = assign_selected(db, actor, body.month, now)
    return {"assigned": assigned, "refused": refused}


@router.post("/appeal-outcomes", status_code=201, response_model=Created)
def post_appeal_outcome(body: AppealOutcomeIn, actor: CurrentActor, db: DbDep, now: NowDep):
    """Record 改判 or 发回重审 against a closed case: it enters the focused review of that month."""
    return {"id": record_appeal_outcome(db, actor, body, now)}


@router.get("/review-draws/{draw_id}", response_model=ReviewDrawOut)
def get_review_draw(draw_id: IdPath, actor: CurrentActor, db: DbDep):
    """A court's stored routine draw for a month, re-run: verified when the seed gives the stored cases."""
    with db.read() as session:
        draw = session.get(ReviewDraw, draw_id)
        if draw is None or not actor.can_see(draw.court_id, court_path(session, draw.court_id)):
            raise NotFound("not_found.api.review_draw_not_found", draw_id=draw_id)
        return {"id": draw.id, "court_id": draw.court_id, "month": draw.month, "seed": draw.seed, "rate": draw.rate,
                "per_judge": draw.per_judge, "population": len(draw.population), "selected": draw.selected,
                "verified": verify_draw(session, draw_id)}
