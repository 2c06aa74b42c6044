"""Each judge's monthly report (三个规定, 零报告): a subject with one event, `file`, and the sweep that opens
the month's reports and their tasks.

The report for a month is opened on the month's first monitor run, due on the policy's day of the next
month, as a task for the judge; the team inbox's one chase sweep reminds and escalates it like any other
due date. Filing lists the judge's records of the month not yet reported, or is a zero report."""
import calendar
from datetime import date, datetime

from sqlalchemy import func, literal, or_, select as sql_select
from sqlmodel import Session, select

from services.integrity.payloads import FileReport
from services.integrity.readers import courts_reading, reads_at, reader_roles
from services.kernel.clock import local_today
from services.kernel.errors import Refused
from services.kernel.policy import courts_by_policy
from services.kernel.subjects import EventSpec, SubjectKind
from services.kernel.sweeps import TASK_COLUMNS, in_courts
from services.kernel.tasks import close_tasks
from statemachines.interference_report import InterferenceReportMachine
from store.bulk import insert_select_ignoring_duplicates, json_array, json_object, text_of
from store.models import InterferenceRecord, InterferenceReport, RoleGrant, Task, User
from store.recipients import in_force

TASK_KIND = "interference_monthly_report"
REPORT_COLUMNS = ["judge_id", "court_id", "division_id", "month", "due_on", "state", "record_ids", "zero", "note",
                  "version"]


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_end(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, calendar.monthrange(year, number)[1])


def due_on(month: str, due_day: int) -> date:
    end = month_end(month)
    return date(end.year + end.month // 12, end.month % 12 + 1, due_day)


# --- the sweep ----------------------------------------------------------------------------------

def open_reports(session: Session, as_of: date, now: datetime) -> int:
    """This month's report for every active holder of a reporter role by a grant in force on `as_of`, and its
    task; once per judge and month."""
    month = month_of(as_of)
    added = 0
    for rules, courts in courts_by_policy(session, "integrity"):
        report = rules.monthly_report
        judges = (sql_select(RoleGrant.user_id, func.min(RoleGrant.court_id), func.min(RoleGrant.division_id),
                             literal(month), literal(due_on(month, report.due_day)), literal("due"),
                             json_array(session), literal(False), literal(""), literal(1))
                  .join(User, User.id == RoleGrant.user_id)
                  .where(RoleGrant.role.in_(report.reporter_roles), User.active, in_courts(RoleGrant.court_id, courts),
                         in_force(as_of))
                  .group_by(RoleGrant.user_id))
        added += insert_select_ignoring_duplicates(session, InterferenceReport, REPORT_COLUMNS, judges,
                                                   ["judge_id", "month"])
    return added + _open_tasks(session, month, now)


def _open_tasks(session: Session, month: str, now: datetime) -> int:
    r = InterferenceReport
    tasks = (sql_select(literal(TASK_KIND), literal(f"报送过问干预情况月报（{month}）"), literal("interference_reports"),
                        r.id, r.court_id, r.division_id, literal(None), r.due_on, literal("open"),
                        literal(f"{TASK_KIND}:") + text_of(r.id), literal(0), json_object(session, month=r.month),
                        literal(now), literal(1), r.judge_id)
             .where(r.month == month, r.state == "due"))
    return insert_select_ignoring_duplicates(session, Task, TASK_COLUMNS + ["assignee_user_id"], tasks, ["dedupe_key"])


# --- the subject ----------------------------------------------------------------------------------

def _facts(session, report: InterferenceReport, now) -> dict:
    return {"today": local_today(now), "month_end": month_end(report.month)}


def _only_the_judge(session, actor, report: InterferenceReport, now):
    return None if actor.user_id == report.judge_id else Refused("refused.integrity.only_judge_files_report")


def _file(cmd, report: InterferenceReport, data: FileReport) -> None:
    report.record_ids = unreported(cmd.session, report)
    report.zero, report.note, report.filed_at = not report.record_ids, data.note, cmd.now
    close_tasks(cmd.session, subject_kind="interference_reports", subject_id=report.id, kinds=(TASK_KIND,),
                actor=cmd.actor, at=cmd.now)


def unreported(session: Session, report: InterferenceReport) -> list[int]:
    """The judge's records up to the month's end that no earlier filed report listed."""
    made = session.exec(select(InterferenceRecord.id).where(
        InterferenceRecord.recorded_by == report.judge_id,
        InterferenceRecord.occurred_on <= month_end(report.month)).order_by(InterferenceRecord.id)).all()
    listed = {i for ids in session.exec(select(InterferenceReport.record_ids).where(
        InterferenceReport.judge_id == report.judge_id, InterferenceReport.state == "filed")).all() for i in ids}
    return [i for i in made if i not in listed]


def _sees(session, actor, report: InterferenceReport) -> bool:
    """The judge, and the readers of either kind of record at the judge's court or the court above."""
    if actor.user_id == report.judge_id:
        return True
    roles = reader_roles(session, report.court_id, "inside") | reader_roles(session, report.court_id, "outside")
    return reads_at(session, actor, report.court_id, roles)


def _sees_where(session, actor):
    """_sees in SQL: the courts whose reports the actor reads are worked out once a court (by its own reader roles,
    its integrity policy, which SQL does not read), not once a report."""
    return or_(InterferenceReport.judge_id == actor.user_id,
               InterferenceReport.court_id.in_(courts_reading(session, actor, ("inside", "outside"))))


def report_public(report: InterferenceReport) -> dict:
    return {"judge_id": report.judge_id, "month": report.month, "due_on": report.due_on, "filed_at": report.filed_at,
            "zero": report.zero, "record_count": len(report.record_ids or []), "note": report.note}


INTERFERENCE_REPORTS = SubjectKind(
    name="interference_reports", model=InterferenceReport, machine=InterferenceReportMachine, public=report_public,
    title=lambda r: f"过问干预情况月报 {r.month}", sees=_sees, sees_where=_sees_where,
    events={"file": EventSpec("file", frozenset({"judge"}), FileReport, may=_only_the_judge, apply=_file,
                              facts=_facts)},
)
