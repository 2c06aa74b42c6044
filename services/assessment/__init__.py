"""一月一考核: monthly assessment, indicators, the ladder and its steps, commitments, reports, credits."""
from services.assessment.ladder_steps import LADDER_STEPS


def plug(registry) -> None:
    registry.add_lifecycle("assessment")
    registry.add_subject(LADDER_STEPS)
