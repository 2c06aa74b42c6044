"""The case sweeps of the daily monitor: deadline warnings, overdue notices, long-pending escalation
(12/18/36 months). Run once per group of places sharing a monitoring policy (a `Scope`: courts, and a division
with its own override apart). An approval left past its
due date is chased like every task (services/kernel/chase.py, monitoring.yaml `chase`).

Every sweep is one INSERT … SELECT over an indexed range, made idempotent by a unique
dedupe key, so running the monitor twice for the same day adds nothing. Warnings are
keyed by (case, threshold, deadline): each threshold goes once for a deadline, and a
deadline moved by an extension or exclusion gets its own warnings.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import and_, literal, or_, select

from policies.deadline import add_months
from policies.monitoring import MonitoringPolicy
from services.kernel.policy import Scope
from services.kernel.sweeps import NOTICE_COLUMNS, TASK_COLUMNS, MonitorResult
from store.bulk import days_until, insert_select_ignoring_duplicates, json_object, text_of
from store.models import Case, Court, Notice, RoleGrant, Task
from store.models.case import CLOCK_RUNNING, IS_PENDING
from store.recipients import in_force

APPROVAL_KINDS = ("approve_extension", "approve_reassignment")


def _notice_select(session, key, kind, user_col, now, ctx, *, source=Case):
    return select(key, literal(kind), user_col, source.court_id, literal("cases"), source.id, ctx,
                  literal("pending"), literal(0), literal(now), literal(now), literal(""))


def _case_ctx(session, **extra):
    return json_object(session, case_number=Case.case_number, deadline=text_of(Case.deadline),
                       filed_on=text_of(Case.filed_on), **extra)


def _insert_notices(session, stmt) -> int:
    return insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, stmt, ["dedupe_key"])


def sweep_warnings(session, policy: MonitoringPolicy, as_of: date, now: datetime, scope: Scope = Scope()) -> int:
    """One notice to the lead judge for the nearest threshold a running case's deadline has crossed."""
    total = 0
    for days, low in policy.buckets():
        key = (literal("deadline:") + text_of(Case.id) + literal(f":{days}:") + text_of(Case.deadline)
               + literal(":u") + text_of(Case.lead_judge_id))
        stmt = _notice_select(session, key, "deadline_warning", Case.lead_judge_id, now,
                              _case_ctx(session, days_left=days_until(session, Case.deadline, as_of))).where(
            CLOCK_RUNNING, Case.lead_judge_id.is_not(None),
            Case.deadline > as_of + timedelta(days=low), Case.deadline <= as_of + timedelta(days=days),
            _in(scope))
        total += _insert_notices(session, stmt)
    return total


def _in(scope: Scope):
    return scope.where(Case.court_id, Case.division_id)


def _overdue_where(as_of: date, scope: Scope):
    return and_(CLOCK_RUNNING, Case.deadline < as_of, _in(scope))


def sweep_overdue(session, policy: MonitoringPolicy, as_of: date, now: datetime, scope: Scope = Scope()) -> int:
    """On the first day past the deadline (or the first run after it): the lead judge and the division chief."""
    ctx = _case_ctx(session)
    base = literal("overdue:") + text_of(Case.id) + literal(":") + text_of(Case.deadline) + literal(":u")
    total = 0
    if "lead_judge" in policy.overdue.recipients:
        stmt = _notice_select(session, base + text_of(Case.lead_judge_id), "deadline_overdue", Case.lead_judge_id,
                              now, ctx).where(_overdue_where(as_of, scope), Case.lead_judge_id.is_not(None))
        total += _insert_notices(session, stmt)
    for role in (r for r in policy.overdue.recipients if r != "lead_judge"):
        stmt = _notice_select(session, base + text_of(RoleGrant.user_id), "deadline_overdue", RoleGrant.user_id,
                              now, ctx).join(RoleGrant, _role_at_case(role, as_of)).where(_overdue_where(as_of, scope))
        total += _insert_notices(session, stmt)
    return total


def _role_at_case(role: str, as_of: date, court_col=Case.court_id):
    """Grants of `role` in force on `as_of` in the case's court, court-wide or for the case's division."""
    return and_(RoleGrant.role == role, RoleGrant.court_id == court_col,
                or_(RoleGrant.division_id.is_(None), RoleGrant.division_id == Case.division_id), in_force(as_of))


def sweep_long_pending(session, policy: MonitoringPolicy, as_of: date, now: datetime,
                       scope: Scope = Scope()) -> tuple[int, int]:
    """专项分级督办: a supervision task and notices per grade, role and case, once each."""
    tasks = notices = 0
    for grade in policy.long_pending:
        pending = _pending_since(add_months(as_of, -grade.months), scope)
        targets = [(r, Case.court_id) for r in grade.roles] + [(r, Court.parent_id) for r in grade.higher_court_roles]
        for role, court_col in targets:
            tasks += _long_pending_tasks(session, grade.months, role, court_col, pending, as_of, now)
            notices += _long_pending_notices(session, grade.months, role, court_col, pending, as_of, now)
    return tasks, notices


def _pending_since(cutoff: date, scope: Scope):
    """IS_PENDING word for word, so the pending cases' (court, filed_on) partial index serves it."""
    return and_(IS_PENDING, Case.filed_on <= cutoff, _in(scope))


def _long_pending_tasks(session, months, role, court_col, pending, as_of, now) -> int:
    division = Case.division_id if role == "division_chief" and court_col is Case.court_id else literal(None)
    key = literal(f"long_pending:{months}:{role}:") + text_of(Case.id)
    stmt = (select(literal("long_pending_supervision"), literal(f"长期未结案件督办（{months}个月）：") + Case.case_number,
                   literal("cases"), Case.id, court_col, division, literal(role), literal(as_of + timedelta(days=15)),
                   literal("open"), key, literal(0), json_object(session, months=literal(months)), literal(now),
                   literal(1))
            .select_from(Case).join(Court, Court.id == Case.court_id)
            .where(pending, court_col.is_not(None)))
    return insert_select_ignoring_duplicates(session, Task, TASK_COLUMNS, stmt, ["dedupe_key"])


def _long_pending_notices(session, months, role, court_col, pending, as_of, now) -> int:
    key = (literal(f"long_pending:{months}:{role}:") + text_of(Case.id) + literal(":u") + text_of(RoleGrant.user_id))
    ctx = _case_ctx(session, months=literal(months))
    stmt = (_notice_select(session, key, "long_pending_escalation", RoleGrant.user_id, now, ctx)
            .select_from(Case).join(Court, Court.id == Case.court_id)
            .join(RoleGrant, _role_at_case(role, as_of, court_col)).where(pending))
    return _insert_notices(session, stmt)


def sweep_cases(session, result: MonitorResult, policy: MonitoringPolicy, as_of, now, scope: Scope) -> None:
    result.warnings += sweep_warnings(session, policy, as_of, now, scope)
    result.overdue += sweep_overdue(session, policy, as_of, now, scope)
    tasks, notices = sweep_long_pending(session, policy, as_of, now, scope)
    result.long_pending_tasks += tasks
    result.long_pending_notices += notices
    result.escalated_approvals = sum(result.escalations_by_kind.get(kind, 0) for kind in APPROVAL_KINDS)
