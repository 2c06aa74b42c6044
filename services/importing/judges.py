"""`import judges`: users, courts and divisions from a personnel export (工号, 姓名, 法院, …).

An imported user has no password and cannot log in until one is set. Quota judges
(员额法官 = 是) get the judge role in their division; 庭长/副庭长 get division_chief
there, 院长/副院长 president/vice_president for the whole court, quota or not.
Optional columns set where their notices go: `email` (邮箱) an e-mail address, `channel`
(通知渠道) a DingTalk or WeCom robot address, a webhook URL or any Apprise URL, each checked
as the settings page checks it.
"""
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from services.importing.cells import RowCheck, parse_day
from services.importing.org import COURT_CODE, ensure_courts, ensure_divisions
from services.importing.run import Importer, bulk_insert, bulk_insert_ids, run_import
from services.importing.report import ImportReport, RowChange
from services.kernel.my_channels import ChannelInvalid, checked_target, kind_of, masked
from store.models import Channel, Court, Division, RoleGrant, User

REQUIRED = ("工号", "姓名", "法院", "法院代字", "部门", "员额法官")
YES_NO = {"是": True, "否": False}
CHANNEL_COLUMNS = {"email": ("email", "邮箱"), "channel": ("channel", "通知渠道")}
"""Optional columns and the header names they go by."""
TITLE_ROLES = {"庭长": ("division_chief", True), "副庭长": ("division_chief", True),
               "院长": ("president", False), "副院长": ("vice_president", False)}


@dataclass(frozen=True)
class JudgeRow:
    line: int
    staff_no: str
    name: str
    court_code: str
    court_name: str
    division: str
    quota: bool
    quota_since: date | None
    title: str
    channels: tuple[tuple[str, str], ...] = ()


@dataclass
class Seen:
    """What earlier rows and the database already hold, for the uniqueness checks."""

    taken: set[str]
    staff_lines: dict[str, int]
    court_names: dict[str, tuple[str, int]]
    stored: dict[str, "Stored"]


@dataclass(frozen=True)
class Stored:
    """A user already in the database, by lower-cased staff number, as a re-import compares it."""

    user_id: int
    values: dict


@dataclass
class Plan:
    new: list[JudgeRow]
    updates: list[tuple[JudgeRow, int]]


def import_judges(db, path: Path | str, **options) -> ImportReport:
    return run_import(db, JUDGES, path, **options)


def validate(session: Session, rows, report: ImportReport) -> Plan:
    seen = Seen(_taken_names(session), {}, {}, _stored(session) if report.update else {})
    plan = Plan([], [])
    for line, row in rows:
        report.rows_read += 1
        check = RowCheck(report, line, row)
        judge = _parse(check)
        stored = seen.stored.get(judge.staff_no.lower())
        _check_unique(check, judge, seen, updating=stored is not None)
        if check.failed:
            continue
        if stored is None:
            plan.new.append(judge)
        else:
            plan.updates.append((judge, stored.user_id))
            _compare(report, judge, stored)
    return plan


COMPARED = {"姓名": "display_name", "法院代字": "court_code", "部门": "division", "员额法官": "is_quota_judge",
            "入额日期": "quota_since", "职务": "title"}


def _stored(session: Session) -> dict[str, Stored]:
    """Users with a staff number, with the values an export row carries (court by code, division by name)."""
    rows = session.exec(select(User.id, User.staff_no, User.display_name, Court.code, Division.name,
                               User.is_quota_judge, User.quota_since, User.title)
                        .join(Court, Court.id == User.court_id).outerjoin(Division, Division.id == User.division_id)
                        .where(User.staff_no.is_not(None))).all()
    return {r[1].lower(): Stored(r[0], dict(display_name=r[2], court_code=r[3], division=r[4] or "",
                                            is_quota_judge=r[5], quota_since=r[6], title=r[7] or ""))
            for r in rows}


def _compare(report: ImportReport, judge: JudgeRow, stored: Stored) -> None:
    row = dict(display_name=judge.name, court_code=judge.court_code, division=judge.division,
               is_quota_judge=judge.quota, quota_since=judge.quota_since, title=judge.title)
    for column, key in COMPARED.items():
        if row[key] != stored.values[key]:
            report.changes.append(RowChange(judge.line, judge.staff_no, column, stored.values[key], row[key]))


def _taken_names(session: Session) -> set[str]:
    """Staff numbers and usernames already in use, lower-cased (the username is the staff number)."""
    rows = session.exec(select(User.username, User.staff_no)).all()
    return {name.lower() for row in rows for name in row if name}


def _parse(check: RowCheck) -> JudgeRow:
    code = check.text("法院代字")
    if code and not COURT_CODE.fullmatch(code):
        check.error("法院代字", "法院代字格式不对 not a court code (e.g. 辽, 辽01, 辽0102)")
    return JudgeRow(
        check.line, check.text("工号") or "", check.text("姓名") or "", code or "",
        check.text("法院") or "", check.text("部门") or "", bool(check.choice("员额法官", YES_NO)),
        check.parsed("入额日期", parse_day, required=False), check.text("职务", required=False) or "",
        _channels(check),
    )


def _channels(check: RowCheck) -> tuple[tuple[str, str], ...]:
    """(kind, target) of the row's email and channel cells, each one Apprise can use."""
    found = []
    for column, names in CHANNEL_COLUMNS.items():
        name = next((n for n in names if check.row.get(n)), names[0])
        value = (check.text(name, required=False) or "").strip()
        if not value:
            continue
        kind = "email" if column == "email" else kind_of(value)
        try:
            found.append((kind, checked_target(kind, value)))
        except ChannelInvalid as exc:
            check.error(name, f"通知渠道不可用 unusable {kind} channel: {exc.message}", masked(kind, value))
    return tuple(found)


def _check_unique(check: RowCheck, judge: JudgeRow, seen: Seen, updating: bool = False) -> None:
    key = judge.staff_no.lower()
    if key and key in seen.staff_lines:
        check.error("工号", f"工号重复 duplicate staff number, already on line {seen.staff_lines[key]}")
    elif key in seen.taken and not updating:
        check.error("工号", "工号已存在 a user with this staff number or username already exists")
    seen.staff_lines.setdefault(key, check.line)
    if judge.court_code and judge.court_name:
        name, line = seen.court_names.setdefault(judge.court_code, (judge.court_name, check.line))
        if name != judge.court_name:
            check.error("法院", f"法院代字 {judge.court_code} 在第 {line} 行是 {name} "
                              f"the same court code has another name on line {line}")


def write(session: Session, plan: Plan, report: ImportReport, _at) -> None:
    every = plan.new + [j for j, _ in plan.updates]
    courts, report.counts["courts_created"] = ensure_courts(session, {j.court_code: j.court_name for j in every})
    court_ids = {code: court.id for code, court in courts.items()}
    keys = {(court_ids[j.court_code], j.division) for j in every}
    divisions, report.counts["divisions_created"] = ensure_divisions(session, keys)
    if report.update:
        _update(session, plan.updates, court_ids, divisions, report)
    judges = plan.new
    users = [_user_row(j, court_ids, divisions) for j in judges]
    ids = bulk_insert_ids(session, User.__table__, users)
    grants = [g for user_id, user in zip(ids, users) for g in _grants(user_id, user)]
    bulk_insert(session, RoleGrant.__table__, grants)
    channels = [dict(user_id=user_id, kind=kind, target=target, active=True, label="")
                for user_id, judge in zip(ids, judges) for kind, target in dict.fromkeys(judge.channels)]
    bulk_insert(session, Channel.__table__, channels)
    report.rows_imported = len(users)
    report.counts["role_grants"] = len(grants)
    report.counts["channels"] = len(channels)


def _update(session: Session, updates: list[tuple[JudgeRow, int]], court_ids: dict, divisions: dict,
            report: ImportReport) -> None:
    """Rows already stored take the export's values; a role the export implies and the user lacks is added
    (none is taken away: ending a grant is a keeper's decision, traced with a reason)."""
    changed = {c.key for c in report.changes}
    added = 0
    for judge, user_id in updates:
        if judge.staff_no not in changed:
            continue
        user, values = session.get(User, user_id), _user_row(judge, court_ids, divisions)
        for column in ("display_name", "court_id", "division_id", "title", "is_quota_judge", "quota_since"):
            setattr(user, column, values[column])
        session.add(user)
        held = {(g.role, g.court_id, g.division_id) for g in session.exec(select(RoleGrant).where(
            RoleGrant.user_id == user_id))}
        for grant in _grants(user_id, values):
            if (grant["role"], grant["court_id"], grant["division_id"]) not in held:
                session.add(RoleGrant(**grant))
                added += 1
    session.flush()
    report.counts["users_updated"] = len({c.key for c in report.changes})
    report.counts["role_grants_added_on_update"] = added


def _user_row(judge: JudgeRow, court_ids: dict[str, int], divisions: dict) -> dict:
    court_id = court_ids[judge.court_code]
    return dict(
        username=judge.staff_no.lower(), display_name=judge.name, password_hash="", staff_no=judge.staff_no,
        court_id=court_id, division_id=divisions[(court_id, judge.division)], title=judge.title,
        is_quota_judge=judge.quota, quota_since=judge.quota_since,
    )


def _grants(user_id: int, user: dict) -> list[dict]:
    roles = [("judge", True)] if user["is_quota_judge"] else []
    roles += [TITLE_ROLES[user["title"]]] if user["title"] in TITLE_ROLES else []
    return [dict(user_id=user_id, role=role, court_id=user["court_id"], include_subtree=False,
                 division_id=user["division_id"] if in_division else None) for role, in_division in roles]


JUDGES = Importer("judges", REQUIRED, validate, write)
