"""案件质量评查: the monthly sampling, special reviews, the reviews themselves, feedback, objections,
and the daily sweep of lapsed objection windows (their due dates are chased by the daily chase)."""
from policies.quality_review import QualityReviewPolicy
from services.quality_review.subject import REVIEWS
from services.quality_review.sweeps import sweep_reviews


def plug(registry) -> None:
    registry.add_lifecycle("quality_review")
    registry.add_subject(REVIEWS)
    registry.add_sweep("quality_review", sweep_reviews)
    registry.add_policy("quality_review", QualityReviewPolicy)
    registry.add_notice_dir("quality_review")
