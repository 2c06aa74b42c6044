"""What assessment takes from the other features (docs/contracts.md): quality reviews (C1) give the
quality score and the reviewers' credited work; meetings (C3) and petitions (C4) credited work.
Imported lazily, as the contracts ask, so assessment loads without those features' modules."""
from dataclasses import dataclass
from datetime import date


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
    from services.supervision.facts import meeting_credits
    from services.petitions.facts import petition_credits
    from services.quality_review.facts import reviewer_credits

    return CreditCounts(meeting=meeting_credits(session, start, end), review=reviewer_credits(session, start, end),
                        petition=petition_credits(session, start, end))


def quality_scores(session, start: date, end: date) -> dict[int, dict]:
    """Per judge: the review score (0–100, None when nothing reviewed) and the grade counts; a judge
    with no final review in the period is absent (the quality weight then goes to the other dimensions)."""
    from services.quality_review.facts import judge_review_results

    return {judge: {"score": s.score, "reviewed": s.reviewed, "grades": dict(s.grades)}
            for judge, s in judge_review_results(session, start, end).items()}
