"""员额退出: the quota-exit proceedings on every path, their due process, requests, windows,
documents and evidence, the daily sweep of the judge's windows and the record of an overdue decision."""
from policies.quota_exit import QuotaExitPolicy
from services.quota_exit.proceedings import EXIT_PROCEEDINGS
from services.quota_exit.sweeps import DECISION_WINDOWS, record_overdue, sweep_exit_windows


def plug(registry) -> None:
    registry.add_lifecycle("quota_exit")
    registry.add_subject(EXIT_PROCEEDINGS)
    registry.add_sweep("quota_exit_windows", sweep_exit_windows)
    for task_kind in DECISION_WINDOWS:
        registry.add_chase_effect(task_kind, record_overdue)
    registry.add_policy("quota_exit", QuotaExitPolicy)
    registry.add_notice_dir("quota_exit")
