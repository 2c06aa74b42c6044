"""Importing this module registers every subject kind (see services/subjects.py)."""
import services.task_subject  # noqa: F401
