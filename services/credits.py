"""What assessment takes from the other features (CONTRACTS.md C1, C3, C4), imported lazily.

Quality reviews (C1) give the quality score and the reviewers' credited work; meetings (C3)
and petitions (C4) give credited work. A feature that is not installed contributes nothing
(its module is absent), so the quality dimension is then left out and its weight shared
out over the others; any other error propagates.
"""
import importlib
from dataclasses import dataclass
from datetime import date


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


@dataclass(frozen=True)
class CreditCounts:
    meeting: dict[int, int]
    review: dict[int, int]
    petition: dict[int, int]

    def points(self, user_id: int, points: dict[str, float]) -> float:
        return round(sum(points[k] * getattr(self, k).get(user_id, 0) for k in ("meeting", "review", "petition")), 4)

    def items(self, user_id: int) -> dict[str, int]:
        return {k: getattr(self, k).get(user_id, 0) for k in ("meeting", "review", "petition")}


def credit_counts(session, start: date, end: date) -> CreditCounts:
    """Credited non-case work per user id in [start, end]."""
    reviews, meetings, petitions = (_module(m) for m in
                                    ("services.review_results", "services.four_type_proposals", "services.petition_facts"))
    return CreditCounts(
        meeting=meetings.meeting_credits(session, start, end) if meetings else {},
        review=reviews.reviewer_credits(session, start, end) if reviews else {},
        petition=petitions.petition_credits(session, start, end) if petitions else {},
    )


def quality_scores(session, start: date, end: date) -> dict[int, dict]:
    """Per judge: the review score (0–100, None when nothing reviewed) and the grade counts."""
    reviews = _module("services.review_results")
    if reviews is None:
        return {}
    return {judge: {"score": s.score, "reviewed": s.reviewed, "grades": dict(s.grades)}
            for judge, s in reviews.judge_review_results(session, start, end).items()}
