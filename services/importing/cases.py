"""`import cases`: pending and closed cases from a case-list export (案号, 程序代码, 立案日期, …).

The lead judge must already be in the database (import judges first); the case takes
the judge's court and division. 审理中 cases get their statutory deadline computed;
closed ones keep the export's closing method with decision_doc_ref "imported".
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, select

import i18n
from policies.calendar import OfficialCalendar, load_calendar
from policies.deadline import compute_deadline
from policies.time_limits import TimeLimitPolicy, default_time_limits
from services.importing.cells import RowCheck, parse_day, parse_whole
from services.importing.report import ImportReport, RowChange
from services.cases.parties import mask_id_number
from services.importing.run import Importer, bulk_insert, bulk_insert_ids, chunks, run_import
from store.models import Case, Party, User
from store.models.case import PENDING_STATES

REQUIRED = ("案号", "程序代码", "立案日期", "承办法官工号", "当事人数", "案件状态")
STATUSES = {"审理中": "in_trial", "已结": "closed", "已归档": "archived"}
CLOSED = ("closed", "archived")


@dataclass
class Context:
    """What validating a row needs besides the row: policy, calendar, judges, earlier rows."""

    policy: TimeLimitPolicy
    calendar: OfficialCalendar
    judges: dict[str, tuple[int, int, int | None]]
    first_line: dict[str, int] = field(default_factory=dict)
    deadlines: dict[tuple[date, str], tuple] = field(default_factory=dict)


def import_cases(db, path: Path | str, **options) -> ImportReport:
    return run_import(db, CASES, path, **options)


def validate(session: Session, rows, report: ImportReport) -> list[dict]:
    ctx = Context(default_time_limits(), load_calendar(), _judges(session))
    cases = []
    for line, row in rows:
        report.rows_read += 1
        case = _parse(RowCheck(report, line, row), ctx)
        if case:
            cases.append(case)
    if not report.update:
        _refuse_known_numbers(session, ctx.first_line, report)
        return Plan(cases, [])
    return _plan_updates(session, cases, ctx.first_line, report)


@dataclass
class Plan:
    new: list[dict]
    updates: list[tuple[dict, int]]


GUARDED = {"state": "refused.cases.import_changes_state", "closed_on": "refused.cases.import_changes_state",
           "closing_method": "refused.cases.import_changes_state",
           "lead_judge_id": "refused.cases.import_changes_judge"}
"""What only the case's own events change, traced on the case: its state and closing (结案, 归档 …) and its lead
judge (分案, then only an approved 变更承办法官). A re-import that would change one is refused, with this message."""
COMPARED = {"案由": "cause", "程序代码": "procedure", "承办法官工号": "lead_judge_id", "当事人数": "party_count",
            "立案日期": "filed_on", "案件状态": "state", "结案日期": "closed_on", "结案方式": "closing_method"}
"""The export's columns a re-import compares with the stored case (and the case columns they set)."""


def _plan_updates(session: Session, cases: list[dict], first_line: dict[str, int], report: ImportReport) -> Plan:
    """Cases whose 案号 is stored are compared field by field; the others are new."""
    stored = {}
    for numbers in chunks(list(first_line)):
        for row in session.exec(select(Case).where(Case.case_number.in_(numbers))):
            stored[row.case_number] = row
    plan = Plan([], [])
    for case in cases:
        row = stored.get(case["case_number"])
        if row is None:
            plan.new.append(case)
            continue
        changed = [(column, key) for column, key in COMPARED.items() if getattr(row, key) != case[key]]
        _refuse_guarded_changes(session, row, case, changed, first_line[case["case_number"]], report)
        for column, key in changed:
            report.changes.append(RowChange(first_line[case["case_number"]], case["case_number"], column,
                                            getattr(row, key), case[key]))
        if changed:
            plan.updates.append((case, row.id))
    return plan


def _refuse_guarded_changes(session: Session, row: Case, case: dict, changed: list[tuple[str, str]], line: int,
                            report: ImportReport) -> None:
    """A stored case's state, closing and lead judge move only by the case's own events, traced on the case: a
    re-import may not set them, so the row (and with it the file) is refused, named with its 案号 and the change
    it asked for (a judge by name and staff number)."""
    for column, key in changed:
        if key in GUARDED:
            shown = (lambda v: _judge_shown(session, v)) if key == "lead_judge_id" else _shown
            params = dict(case_number=row.case_number, column=column, before=shown(getattr(row, key)),
                          after=shown(case[key]))
            report.add(line, column, params["after"], " ".join(
                i18n.gettext(GUARDED[key], lang, **params) for lang in i18n.LANGUAGES))


def _shown(value) -> str:
    return "" if value is None else str(value)


def _judge_shown(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return f"{user.display_name}（{user.staff_no or user.username}）" if user else ""


def _judges(session: Session) -> dict[str, tuple[int, int, int | None]]:
    """Lead judges by lower-cased staff number: (user id, court id, division id)."""
    rows = session.exec(select(User.staff_no, User.id, User.court_id, User.division_id)
                        .where(User.staff_no.is_not(None))).all()
    return {staff_no.lower(): (user_id, court_id, division_id) for staff_no, user_id, court_id, division_id in rows}


def _parse(check: RowCheck, ctx: Context) -> dict | None:
    number = _case_number(check, ctx)
    procedure = _procedure(check, ctx)
    filed = check.parsed("立案日期", parse_day)
    judge = _judge(check, ctx)
    parties = check.parsed("当事人数", parse_whole)
    state, closed_on, method = _closing(check, filed)
    parties = _parties(check, parties)
    if check.failed:
        return None
    user_id, court_id, division_id = judge
    listed, count = parties
    return dict(_parties=listed,
        case_number=number, cause=check.text("案由", required=False) or "", procedure=procedure,
        court_id=court_id, division_id=division_id, lead_judge_id=user_id, party_count=count,
        filed_on=filed, state=state, closed_on=closed_on, closing_method=method,
        decision_doc_ref="imported" if closed_on else None, **_deadline(ctx, filed, procedure, state),
    )


PARTY_ROLES = {"原告": "plaintiff", "被告": "defendant", "第三人": "third_party", "上诉人": "appellant",
               "被上诉人": "appellee", "申请人": "applicant", "被申请人": "respondent", "被告人": "accused",
               "自诉人": "private_prosecutor", "被害人": "victim", "申请执行人": "enforcement_applicant",
               "被执行人": "enforcement_respondent"}
ORGANISATION_WORDS = ("公司", "银行", "集团", "合作社", "委员会", "局", "厂", "中心", "学校", "医院", "事务所", "协会")


def _parties(check: RowCheck, count: int | None) -> tuple[list[dict], int | None]:
    """The optional 当事人 column: 诉讼地位:名称[:身份证号码或统一社会信用代码] entries separated by ；or ;
    (原告:张三:210102199001011234；被告:沈阳某某有限公司). Listed parties give the party count."""
    text = check.text("当事人", required=False) or ""
    listed = []
    for entry in filter(None, (e.strip() for e in text.replace("；", ";").split(";"))):
        role, _, rest = entry.replace("：", ":").partition(":")
        name, _, id_number = rest.partition(":")
        if role.strip() not in PARTY_ROLES or not name.strip():
            check.error("当事人", f"无法识别的当事人 unreadable party {entry!r} (诉讼地位:名称[:证件号码])")
            continue
        name = name.strip()
        listed.append(dict(name=name, role=PARTY_ROLES[role.strip()], id_number_masked=mask_id_number(id_number),
                           kind="organisation" if any(w in name for w in ORGANISATION_WORDS) else "person"))
    return listed, len(listed) if listed else count


def _case_number(check: RowCheck, ctx: Context) -> str | None:
    number = check.text("案号")
    if number and number in ctx.first_line:
        check.error("案号", f"案号重复 duplicate case number, already on line {ctx.first_line[number]}")
    elif number:
        ctx.first_line[number] = check.line
    return number


def _procedure(check: RowCheck, ctx: Context) -> str | None:
    code = check.text("程序代码")
    if code and code not in ctx.policy.procedures:
        check.error("程序代码", "未知程序代码 unknown procedure code (see policies time_limits.yaml)")
        return None
    return code


def _judge(check: RowCheck, ctx: Context) -> tuple | None:
    staff_no = check.text("承办法官工号")
    judge = ctx.judges.get(staff_no.lower()) if staff_no else None
    if staff_no and not judge:
        check.error("承办法官工号", "未知法官 unknown judge: no user has this staff number (import judges first)")
    return judge


def _closing(check: RowCheck, filed: date | None) -> tuple[str | None, date | None, str | None]:
    """State, closing date and closing method from 案件状态, 结案日期 and 结案方式."""
    status = check.choice("案件状态", STATUSES)
    closed = status in CLOSED
    closed_on = check.parsed("结案日期", parse_day, required=closed)
    method = check.text("结案方式", required=closed) if closed else None
    if closed_on and filed and closed_on < filed:
        check.error("结案日期", f"结案日期早于立案日期 closed before it was filed ({filed})")
    elif closed_on and status == "in_trial":
        check.error("结案日期", "审理中的案件不应有结案日期 a pending case cannot have a closing date")
    return case_state(status, method), closed_on, method


def case_state(status: str | None, method: str | None) -> str | None:
    """已结 with 调解 → mediated, with 撤诉 → withdrawn, otherwise closed; other statuses as mapped."""
    if status != "closed" or not method:
        return status
    if "调解" in method:
        return "mediated"
    return "withdrawn" if "撤诉" in method else "closed"


def _deadline(ctx: Context, filed: date, procedure: str, state: str) -> dict:
    """deadline, unrolled_deadline, calendar_complete: computed for pending cases only (memoized)."""
    if state not in PENDING_STATES:
        return dict(deadline=None, unrolled_deadline=None, calendar_complete=True)
    key = (filed, procedure)
    if key not in ctx.deadlines:
        result = compute_deadline(filed, ctx.policy.limit(procedure), [], [], ctx.calendar)
        ctx.deadlines[key] = (result.deadline, result.unrolled_deadline, result.calendar_complete)
    deadline, unrolled, complete = ctx.deadlines[key]
    return dict(deadline=deadline, unrolled_deadline=unrolled, calendar_complete=complete)


def _refuse_known_numbers(session: Session, first_line: dict[str, int], report: ImportReport) -> None:
    for numbers in chunks(list(first_line)):
        for number in session.exec(select(Case.case_number).where(Case.case_number.in_(numbers))):
            report.add(first_line[number], "案号", number, "案号已存在 this case number is already in the database")


def write(session: Session, plan: Plan, report: ImportReport, at: datetime) -> None:
    cases = plan.new
    rows = [{**_case_columns(case), "created_at": at} for case in cases]  # others take their column defaults
    ids = bulk_insert_ids(session, Case.__table__, rows)
    bulk_insert(session, Party.__table__, [dict(p, case_id=case_id, court_id=case["court_id"])
                                           for case, case_id in zip(cases, ids) for p in case["_parties"]])
    report.rows_imported = len(rows)
    report.counts.update(sorted(Counter(case["state"] for case in cases).items()))
    for case, case_id in plan.updates:
        row = session.get(Case, case_id)
        _update(row, case)
        session.add(row)
    if report.update:
        report.counts["cases_updated"] = len(plan.updates)


def _case_columns(case: dict) -> dict:
    return {k: v for k, v in case.items() if k != "_parties"}


def _update(row: Case, case: dict) -> None:
    """The export's fields but the guarded ones (validation refused any change to those); the case keeps its court
    and division, taken from its judge at the first import (a re-import moves no case). The deadline is computed
    again only when what it depends on changed (an extension or exclusion recorded since is otherwise kept)."""
    recompute = any(getattr(row, k) != case[k] for k in ("filed_on", "procedure"))
    keys = [k for k in COMPARED.values() if k not in GUARDED]
    keys += ["deadline", "unrolled_deadline", "calendar_complete"] if recompute else []
    for key in keys:
        setattr(row, key, case[key])


CASES = Importer("cases", REQUIRED, validate, write)
