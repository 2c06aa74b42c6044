"""日监测 (SPEC §1.1): every daily sweep the lifecycles plugged in, in one transaction with one trace entry.

The kernel's chase of every task's due date (services/kernel/chase.py) runs first; the case sweeps
(deadline warnings, overdue notices, long-pending escalation) are in services/cases/sweeps.py; each
lifecycle adds its own in its `plug()`. The notice settings and the digests come after every sweep
that writes notices.

Every sweep is set-based and idempotent for a day (a unique dedupe key), so running the
monitor twice for the same day adds nothing.
"""
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import true
from sqlmodel import select

from policies.monitoring import MonitoringPolicy
from services.kernel.actor import Actor
from services.kernel.notice_digest import send_digests
from services.kernel.policy import Scope, apply_due_versions, scope_policy, scopes_by_policy
from services.kernel.record import record
from services.kernel.registry import current
from services.kernel.trace_checkpoint import checkpoint_trace
from store.models import Court
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

    def add(self, other: "MonitorResult") -> None:
        """Fold in the figures of a part of the day's run (a share of courts, one sweep)."""
        for name in ("warnings", "overdue", "long_pending_tasks", "long_pending_notices", "escalated_approvals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.escalations_by_kind, other.escalations_by_kind), (self.extra, other.extra)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n


def in_courts(column, court_ids: list[int] | None):
    """The sweep's scope: the courts whose policy it runs with (None: every court)."""
    return true() if court_ids is None else column.in_(court_ids)


def run_daily_monitor(db, as_of: date, now: datetime, *, policy: MonitoringPolicy | None = None) -> MonitorResult:
    """All sweeps in one transaction with one trace entry; a second run for the day adds nothing.

    Override versions whose date has come are put in force first (and only then: never before their date).
    Each court is swept with its own monitoring policy (its overrides along the court tree), and a division with
    its own override with that; the places sharing a policy are swept together (`scopes_by_policy`). `policy`
    forces one policy on every court.
    The daily-monitor flow runs the same steps shared among task runs (`monitor_shares`)."""
    result = MonitorResult(as_of=as_of.isoformat())
    with db.write() as session:
        open_day(session, result, as_of, now)
        groups = [(policy, Scope())] if policy else scopes_by_policy(session, "monitoring")
        for group_policy, scope in groups:
            for index in range(len(current().policy_sweeps)):
                current().policy_sweeps[index](session, result, group_policy, as_of, now, scope)
        for name in current().sweeps:
            run_sweep(session, result, name, as_of, now)
        close_day(session, result, as_of, now)
    return result


def open_day(session, result: MonitorResult, as_of: date, now: datetime) -> None:
    """First of the day: the override versions whose date has come are put in force."""
    result.extra["policy_versions_applied"] = apply_due_versions(session, as_of, now)


def monitor_shares(session, parts: int) -> list[Scope]:
    """The places split for `parts` task runs: each monitoring-policy group's courts cut into up to `parts` slices
    of neighbouring courts (by court path); a division with its own override is one share. Every place is in
    exactly one share and is swept with its group's policy, so the shares together do what one run does. One part
    keeps the groups as they are (a group of every court: no court filter)."""
    groups = [scope for _, scope in scopes_by_policy(session, "monitoring")]
    if parts <= 1:
        return groups
    paths = dict(session.exec(select(Court.id, Court.path)).all())
    shares = []
    for scope in groups:
        if scope.divisions is not None:
            shares.append(scope)
            continue
        ordered = sorted(scope.courts if scope.courts is not None else paths, key=lambda cid: paths[cid])
        size = -(-len(ordered) // parts)
        shares += [replace(scope, courts=tuple(sorted(ordered[i:i + size]))) for i in range(0, len(ordered), size)]
    return shares


def sweep_share(session, result: MonitorResult, index: int, scope: Scope, as_of: date, now: datetime) -> None:
    """The policy sweep number `index` over one share of places, with the monitoring policy they share."""
    current().policy_sweeps[index](session, result, scope_policy(session, "monitoring", scope), as_of, now, scope)


def run_sweep(session, result: MonitorResult, name: str, as_of: date, now: datetime) -> None:
    result.extra[name] = current().sweeps[name](session, as_of, now)


def close_day(session, result: MonitorResult, as_of: date, now: datetime) -> None:
    """Last of the day: notice settings and digests over every notice the sweeps wrote, the day's trace entry
    with its figures, and the trace checkpoint that signs the day's head."""
    result.extra["notices_held"] = apply_notice_settings(session, now)
    result.extra["digests"] = send_digests(session, now)
    record(session, Actor.system(), "flow.daily_monitor", at=now, why=f"日监测 {as_of}", after=asdict(result))
    result.extra["trace_checkpoint"] = checkpoint_trace(session, as_of, now)
