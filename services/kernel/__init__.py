"""What every lifecycle stands on, and imports no lifecycle: the subject engine, access, the inbox,
the sweep registry, in-transaction events, clock, role sets, policy resolution, trace and notices."""
from policies.calendar import CalendarPolicy
from policies.monitoring import MonitoringPolicy
from policies.tasks import TasksPolicy
from services.kernel.chase import chase_tasks
from services.kernel.delegations import apply_delegations
from services.kernel.task_subject import TASKS


def plug(registry) -> None:
    """The inbox's tasks are a subject like any other (complete, cancel). The working-day calendar
    (every lifecycle counts days with it) and the monitoring policy (the daily monitor groups the
    courts by it) are the kernel's; its notices are the templates at the top, always read. The chase of
    every task's due date is the first policy sweep, so the lifecycles' sweeps after it read its figures."""
    registry.add_subject(TASKS)
    registry.add_policy("calendar", CalendarPolicy)
    registry.add_policy("monitoring", MonitoringPolicy)
    registry.add_policy("tasks", TasksPolicy)
    registry.add_policy_sweep(chase_tasks)
    registry.add_sweep("delegations", apply_delegations)
