"""Quality review results for assessment (contract C1): what §5's quality dimension and credited work read.

Set-based over all judges: one GROUP BY each, whatever the number of reviews.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from policies.quality_review import GRADES
from services.kernel.policy import policy
from store.models import Review


@dataclass(frozen=True)
class ReviewSummary:
    """A judge's reviewed cases whose grade became final in the period.

    `grades` counts each grade (pass, flaw, major_flaw, error); `score` is the mean of the
    court policy's grade points (quality_review.yaml `grade_points`, 0–100) over those
    reviews, None when nothing was reviewed."""
    judge_id: int
    reviewed: int
    grades: dict[str, int] = field(default_factory=dict)
    score: float | None = None


def judge_review_results(session, start: date, end: date) -> dict[int, ReviewSummary]:
    """Per lead judge of the reviewed case: reviews whose grade was finalised in [start, end].

    A grade is final when the objection window lapses, the judge accepts it, or the review
    committee decides the objection (then the committee's grade counts). Judges with no such
    review are absent from the result."""
    rows = session.exec(
        select(Review.judge_id, Review.court_id, Review.final_grade, func.count())
        .where(Review.final_on.between(start, end), Review.final_grade.is_not(None), Review.judge_id.is_not(None))
        .group_by(Review.judge_id, Review.court_id, Review.final_grade)).all()
    points = {}
    grades: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(GRADES, 0))
    total_points: dict[int, float] = defaultdict(float)
    for judge_id, court_id, grade, n in rows:
        if court_id not in points:
            points[court_id] = policy(session, court_id, "quality_review").grade_points
        grades[judge_id][grade] += n
        total_points[judge_id] += points[court_id][grade] * n
    return {j: _summary(j, g, total_points[j]) for j, g in grades.items()}


def _summary(judge_id: int, grades: dict[str, int], points: float) -> ReviewSummary:
    reviewed = sum(grades.values())
    return ReviewSummary(judge_id, reviewed, dict(grades), round(points / reviewed, 2) if reviewed else None)


def reviewer_credits(session, start: date, end: date) -> dict[int, int]:
    """Reviews completed (graded) per reviewer user id in [start, end]: credited non-case work."""
    rows = session.exec(select(Review.reviewer_id, func.count())
                        .where(Review.graded_on.between(start, end), Review.reviewer_id.is_not(None))
                        .group_by(Review.reviewer_id)).all()
    return {reviewer: n for reviewer, n in rows}
