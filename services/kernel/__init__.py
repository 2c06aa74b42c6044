"""What every lifecycle stands on, and imports no lifecycle: the subject engine, access, the inbox,
the sweep registry, in-transaction events, clock, role sets, policy resolution, trace and notices."""
from services.kernel.task_subject import TASKS


def plug(registry) -> None:
    """The inbox's tasks are a subject like any other (complete, cancel)."""
    registry.add_subject(TASKS)
