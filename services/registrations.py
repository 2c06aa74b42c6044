"""Importing this module registers every subject kind (see services/subjects.py)."""
import services.case_subject  # noqa: F401
import services.extensions  # noqa: F401
import services.petitions  # noqa: F401
import services.reassignments  # noqa: F401
import services.task_subject  # noqa: F401
import services.supervision  # noqa: F401
import services.required_reports  # noqa: F401
import services.meetings  # noqa: F401
import services.committee  # noqa: F401
import services.draft_reviews  # noqa: F401
import services.four_type_proposals  # noqa: F401
import services.four_type_rules  # noqa: F401
import services.reviews  # noqa: F401
import services.review_sweeps  # noqa: F401
import services.exit_proceedings  # noqa: F401
import services.ladder_steps  # noqa: F401
