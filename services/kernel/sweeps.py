"""日监测 (SPEC §1.1): every daily sweep the lifecycles plugged in, in one transaction with one trace entry.

The kernel's chase of every task's due date (services/kernel/chase.py) runs first; the case sweeps
(deadline warnings, overdue notices, long-pending escalation) are in services/cases/sweeps.py; each
lifecycle adds its own in its `plug()`. The notice settings and the digests come after every sweep
that writes notices.

Every sweep is set-based and idempotent for a day (a unique dedupe key), so running the
monitor twice for the same day adds nothing.
"""
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import true

from policies.monitoring import MonitoringPolicy
from services.kernel.actor import Actor
from services.kernel.notice_digest import send_digests
from services.kernel.policy import apply_due_versions, courts_by_policy
from services.kernel.record import record
from services.kernel.registry import current
from services.kernel.trace_checkpoint import checkpoint_trace
from store.outbox import apply_notice_settings

NOTICE_COLUMNS = ["dedupe_key", "kind", "recipient_user_id", "court_id", "subject_kind", "subject_id", "context",
                  "state", "attempts", "next_attempt_at", "created_at", "last_error"]
TASK_COLUMNS = ["kind", "title", "subject_kind", "subject_id", "court_id", "division_id", "assignee_role", "due_on",
                "state", "dedupe_key", "escalation_level", "context", "created_at", "version"]


@dataclass
class MonitorResult:
    """The day's figures: the case sweeps' named counts (`escalated_approvals`: approvals the chase took to the
    approver's superior), the chase's first escalations per task kind, then each other sweep's rows by name."""
    as_of: str
    warnings: int = 0
    overdue: int = 0
    long_pending_tasks: int = 0
    long_pending_notices: int = 0
    escalated_approvals: int = 0
    escalations_by_kind: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)


def in_courts(column, court_ids: list[int] | None):
    """The sweep's scope: the courts whose policy it runs with (None: every court)."""
    return true() if court_ids is None else column.in_(court_ids)


def run_daily_monitor(db, as_of: date, now: datetime, *, policy: MonitoringPolicy | None = None) -> MonitorResult:
    """All sweeps in one transaction with one trace entry; a second run for the day adds nothing.

    Override versions whose date has come are put in force first (and only then: never before their date).
    Each court is swept with its own monitoring policy (its overrides along the court tree);
    courts sharing a policy are swept together. `policy` forces one policy on every court."""
    registry = current()
    result = MonitorResult(as_of=as_of.isoformat())
    with db.write() as session:
        result.extra["policy_versions_applied"] = apply_due_versions(session, as_of, now)
        groups = [(policy, None)] if policy else courts_by_policy(session, "monitoring")
        for group_policy, courts in groups:
            for policy_sweep in registry.policy_sweeps:
                policy_sweep(session, result, group_policy, as_of, now, courts)
        for name, sweep in registry.sweeps.items():
            result.extra[name] = sweep(session, as_of, now)
        result.extra["notices_held"] = apply_notice_settings(session, now)
        result.extra["digests"] = send_digests(session, now)
        record(session, Actor.system(), "flow.daily_monitor", at=now, why=f"日监测 {as_of}", after=asdict(result))
        result.extra["trace_checkpoint"] = checkpoint_trace(session, as_of, now)  # last: it signs the day's head
    return result


