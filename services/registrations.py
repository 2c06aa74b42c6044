"""Importing this module registers every subject kind (see services/subjects.py)."""
import services.case_subject  # noqa: F401
import services.extensions  # noqa: F401
import services.petitions  # noqa: F401
import services.reassignments  # noqa: F401
import services.task_subject  # noqa: F401
import services.exit_proceedings  # noqa: F401
