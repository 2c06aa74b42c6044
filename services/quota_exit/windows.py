"""The windows of the due process (SPEC §6): opened with the policy's length in calendar or working
days, ended when used, waived or met; the daily monitor reminds, escalates and records a missed one."""
from datetime import date

from sqlmodel import Session, select

from policies.quota_exit import remind_on, window_end
from services.kernel.policy import calendar, policy
from store.models import ExitProceeding, ExitWindow

JUDGE_WINDOWS = ("statement", "reconsideration_application", "higher_review_application")


def open_window(session: Session, proceeding: ExitProceeding, kind: str, opened_on: date) -> ExitWindow:
    """Open the window `kind` from `opened_on` (counted from the next day), by the court's policy."""
    rules = policy(session, proceeding.court_id, "quota_exit")
    rule = rules.windows[kind]
    closes_on = window_end(opened_on, rule, calendar(session, proceeding.court_id), rules.roll_to_working_day)
    window = ExitWindow(proceeding_id=proceeding.id, kind=kind, party=rule.party, opened_on=opened_on,
                        closes_on=closes_on, remind_on=remind_on(closes_on, rules.remind_days_before, opened_on),
                        length=rule.length, days=rule.days)
    session.add(window)
    session.flush()
    return window


def end_window(session: Session, proceeding_id: int, kind: str, state: str, on: date) -> None:
    """Mark an open window used, waived or met (a window already ended keeps its first ending)."""
    window = session.exec(select(ExitWindow).where(ExitWindow.proceeding_id == proceeding_id,
                                                   ExitWindow.kind == kind, ExitWindow.state == "open")).first()
    if window is not None:
        window.state, window.ended_on = state, on
        session.add(window)


def window_ends(session: Session, proceeding_id: int) -> dict[str, date]:
    """The last day of every window the proceeding has opened, by kind (what the machine's guards read)."""
    rows = session.exec(select(ExitWindow.kind, ExitWindow.closes_on).where(ExitWindow.proceeding_id == proceeding_id))
    return dict(rows.all())


def windows_of(session: Session, proceeding_id: int) -> list[ExitWindow]:
    return list(session.exec(select(ExitWindow).where(ExitWindow.proceeding_id == proceeding_id)
                             .order_by(ExitWindow.id)).all())


def open_window_of(session: Session, proceeding_id: int) -> ExitWindow | None:
    """The window running now (at most one at a time), for the countdown."""
    return session.exec(select(ExitWindow).where(ExitWindow.proceeding_id == proceeding_id,
                                                 ExitWindow.state == "open").order_by(ExitWindow.id.desc())).first()
