"""一月一考核 of all staff: monthly assessment, indicators, the ladder and its steps, commitments, reports,
credits, qualitative inputs (evaluations, bonus and deduction items), leaders' caseloads, court and division results."""
from policies.assessment import AssessmentPolicy
from policies.indicators import IndicatorPolicy
from policies.ladder import Ladder
from services.assessment.ladder_steps import LADDER_STEPS
from services.assessment.score_items import SCORE_ITEMS


def plug(registry) -> None:
    registry.add_lifecycle("assessment")
    registry.add_subject(LADDER_STEPS)
    registry.add_subject(SCORE_ITEMS)
    registry.add_policy("assessment", AssessmentPolicy)
    registry.add_policy("indicators", IndicatorPolicy)
    for ladder in ("ladder_liaoning", "ladder_spc", "ladder_observation"):  # the ladders assessment.ladders may name
        registry.add_policy(ladder, Ladder)
    registry.add_notice_dir("assessment")
