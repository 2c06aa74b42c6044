"""The daily monitor's quota-exit sweep (SPEC §6): reminders before each of the judge's windows closes, and a
missed window recorded while the proceeding goes on. The committee's decision windows are its tasks' due
dates, which the daily chase reminds and escalates (monitoring.yaml `chase.kinds.exit_decide`); when it takes
one up, `record_overdue` writes the proceeding's record of it.

Reminders are one INSERT … SELECT, keyed by window and recipient, so a second run the same day sends nothing.
Windows that have just ended or gone overdue are found by one indexed query (state, closes_on); each of those
few rows is then traced on its own, because the trace is a hash chain written entry by entry.
"""
from datetime import date, datetime

from sqlalchemy import literal, select
from sqlmodel import Session

from services.kernel.actor import Actor
from services.quota_exit.labels import in_chinese
from services.quota_exit.notices import notify_exit
from services.quota_exit.steps import done, dossier, task
from services.kernel.sweeps import NOTICE_COLUMNS
from services.kernel.record import record
from store.recipients import holders
from store.bulk import days_until, insert_select_ignoring_duplicates, json_object, text_of
from store.models import ExitProceeding, ExitSubmission, ExitWindow, Notice, Task, User

DECISION_WINDOWS = {"exit_decide": "committee_decision", "exit_decide_reconsideration": "reconsideration_decision"}
"""The committee's task of each decision window."""
FOLLOW_UP = {  # after a judge's window ends, who moves the proceeding on
    "statement": ("exit_start_review", "开始审议员额退出（陈述申辩期届满）", "committee"),
    "reconsideration_application": ("exit_finalize", "员额退出决定生效（复议申请期届满）", "personnel"),
    "higher_review_application": ("exit_finalize", "员额退出决定生效（复核申请期届满）", "personnel"),
}


def _system(session: Session, now: datetime):
    from services.kernel.access import Command

    return Command(session, Actor.system(), now)


def _reminders(session: Session, as_of: date, now: datetime) -> int:
    """One reminder per window of the judge (a right: the statement, the applications), to the judge."""
    due = (ExitWindow.state == "open", ExitWindow.remind_on <= as_of, ExitWindow.closes_on >= as_of)
    ctx = json_object(session, proceeding_id=ExitProceeding.id, judge_name=User.display_name,
                      ground=ExitProceeding.ground, path=ExitProceeding.path, window=ExitWindow.kind,
                      closes_on=text_of(ExitWindow.closes_on),
                      days_left=days_until(session, ExitWindow.closes_on, as_of))
    judge = ExitProceeding.judge_id
    key = literal("exit_remind:") + text_of(ExitWindow.id) + literal(":u") + text_of(judge)
    stmt = (select(key, literal("exit_window_reminder"), judge, ExitProceeding.court_id,
                   literal("exit_proceedings"), ExitProceeding.id, ctx, literal("pending"), literal(0),
                   literal(now), literal(now), literal(""))
            .select_from(ExitWindow).join(ExitProceeding, ExitProceeding.id == ExitWindow.proceeding_id)
            .join(User, User.id == judge).where(ExitWindow.party == "judge", *due))
    return insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, stmt, ["dedupe_key"])


def record_lapsed(session: Session, as_of: date, now: datetime, proceeding_id: int | None = None) -> int:
    """Judge's windows whose last day is before `as_of`: closed (something was filed) or missed, recorded,
    and the next step opened for whoever moves the proceeding on."""
    stmt = select(ExitWindow).where(ExitWindow.state == "open", ExitWindow.party == "judge",
                                    ExitWindow.closes_on < as_of)
    if proceeding_id is not None:
        stmt = stmt.where(ExitWindow.proceeding_id == proceeding_id)
    windows = session.exec(stmt.order_by(ExitWindow.id)).scalars().all()
    for window in windows:
        _lapse(session, window, now)
    return len(windows)


def _filed_in(session: Session, window: ExitWindow) -> bool:
    return window.kind == "statement" and session.exec(select(ExitSubmission.id).where(
        ExitSubmission.proceeding_id == window.proceeding_id, ExitSubmission.party == "judge",
        ExitSubmission.on >= window.opened_on)).first() is not None


def _lapse(session: Session, window: ExitWindow, now: datetime) -> None:
    p, cmd = session.get(ExitProceeding, window.proceeding_id), _system(session, now)
    missed = not _filed_in(session, window)
    window.state, window.ended_on = ("missed" if missed else "closed"), window.closes_on
    session.add(window)
    label = in_chinese("exit_window", window.kind)
    record(session, cmd.actor, f"exit_proceedings.window_{window.state}", at=now, subject_kind="exit_proceedings",
           subject_id=p.id, court_id=p.court_id,
           why=f"{label}于{window.closes_on}届满{'，法官未在期限内提出' if missed else ''}",
           after={"window": window.kind, "closes_on": window.closes_on, "state": window.state})
    if missed:
        dossier(cmd, p, f"missed:{window.kind}", f"未在{label}内提出（{window.closes_on}届满），程序继续进行",
                window=window.kind, closes_on=window.closes_on)
    notify_exit(cmd, "exit_window_missed", holders(session, "personnel", p.court_id), f"exit_lapsed:{window.id}", p,
                window=window.kind, closes_on=window.closes_on, missed=missed)
    if window.kind == "statement":
        done(cmd, p, "exit_statement")
    kind, title, role = FOLLOW_UP[window.kind]
    task(cmd, p, kind, title, role=role)


def record_overdue(session: Session, tasks, level: int, as_of: date, now: datetime) -> None:
    """The chase took a committee decision up (its window closed, no decision): the window is marked escalated
    and the proceeding's record says so, once (a chase effect, services/kernel/registry.py)."""
    for task_id, proceeding_id, closes_on in tasks:
        task_row = session.get(Task, task_id)
        window = session.exec(select(ExitWindow).where(
            ExitWindow.proceeding_id == proceeding_id, ExitWindow.kind == DECISION_WINDOWS[task_row.kind],
            ExitWindow.state == "open", ExitWindow.escalated_on.is_(None))).scalars().first()
        if window is None:
            continue
        p, role = session.get(ExitProceeding, proceeding_id), _escalated_to(session, task_id)
        window.escalated_on = as_of
        session.add(window)
        record(session, Actor.system(), "exit_proceedings.window_overdue", at=now, subject_kind="exit_proceedings",
               subject_id=p.id, court_id=p.court_id,
               why=f"{in_chinese('exit_window', window.kind)}已于{window.closes_on}届满，尚未作出决定",
               after={"window": window.kind, "closes_on": window.closes_on, "escalated_to": role})


def _escalated_to(session: Session, task_id: int) -> str | None:
    return session.exec(select(Task.assignee_role).where(Task.escalates_task_id == task_id)).scalars().first()


def sweep_exit_windows(session: Session, as_of: date, now: datetime) -> int:
    """Reminders and lapsed windows of the judge: rows added or changed."""
    return _reminders(session, as_of, now) + record_lapsed(session, as_of, now)

