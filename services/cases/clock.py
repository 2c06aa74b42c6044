"""The deadline on the row: recomputed by every event that moves it, with the arithmetic of
`courtflow deadline` (policies/deadline.py) and the court's calendar and time limits."""
from datetime import date

from sqlmodel import Session, select

from policies.deadline import DeadlineResult, Duration, Period, compute_deadline
from services.kernel.policy import calendar, policy
from store.models import Case, ExcludedPeriod, ExtensionRequest
from store.models.case import CLOSED_STATES


def approved_extensions(session: Session, case_id: int) -> list[Duration]:
    rows = session.exec(select(ExtensionRequest).where(
        ExtensionRequest.case_id == case_id, ExtensionRequest.state == "approved"
    ).order_by(ExtensionRequest.decided_on, ExtensionRequest.id)).all()
    return [Duration.parse(r.length) for r in rows]


def derive_deadline(session: Session, case: Case, asked: tuple[Duration, ...] = ()) -> DeadlineResult:
    """The case's deadline with its parts: filing date, limit, approved extensions (and `asked`, one not yet
    approved: what the deadline would become), excluded days, roll-forward to a working day."""
    periods = session.exec(select(ExcludedPeriod).where(ExcludedPeriod.case_id == case.id)).all()
    limit = policy(session, case.court_id, "time_limits").limit(case.procedure, case.variant)
    return compute_deadline(case.filed_on, limit, approved_extensions(session, case.id) + list(asked),
                            [Period(p.start, p.end) for p in periods if p.end], calendar(session, case.court_id))


def recompute_deadline(session: Session, case: Case) -> None:
    """Set deadline, unrolled deadline, excluded days, calendar flag and whether the clock is stopped."""
    periods = session.exec(select(ExcludedPeriod).where(ExcludedPeriod.case_id == case.id)).all()
    result = derive_deadline(session, case)
    case.deadline, case.unrolled_deadline = result.deadline, result.unrolled_deadline
    case.calendar_complete, case.excluded_days = result.calendar_complete, result.excluded_days
    case.clock_stopped = any(p.end is None for p in periods)


def days_left(case: Case, today: date) -> int | None:
    """Days until the deadline (negative when overdue); None when there is no limit, the clock is stopped
    or the case is closed (withdrawn, mediated, decided, archived: its clock no longer runs)."""
    return days_until(case.deadline, case.clock_stopped, case.state, today)


def days_until(deadline: date | None, clock_stopped: bool, state: str, today: date) -> int | None:
    """days_left of a case read as columns (the case list's rows)."""
    if deadline is None or clock_stopped or state in CLOSED_STATES:
        return None
    return (deadline - today).days
