"""What the assessment pages and exports read: who may see what, monthly trends, a judge's year,
the dossier document, and indicator exports (CSV, Excel)."""
import csv
import io
from datetime import date, datetime

from sqlalchemy import func, select

import i18n
from i18n.words import date_words, datetime_words
from policies.indicators import INDICATORS
from policies.periods import Period
from services.kernel.clock import COURT_TZ
from services.kernel.actor import Actor
from services.kernel.documents import render_document
from services.kernel.dossier import dossier_entries
from services.kernel.errors import Invalid, NotFound
from services.kernel.policy import policy
from services.assessment.indicators import LEVELS, indicator_report
from services.cases.facts import visible_courts
from services.kernel.need_to_know import reads_person
from store.bulk import text_of
from store.models import AssessmentRecord, Case, Court, Division, LadderStep, Report, User

DOSSIER_KINDS = {"monthly_record": "月度考核", "evaluation": "季度/半年评价", "grade": "年度考评", "explanation": "书面说明",
                 "explanation_filed": "提交说明", "explanation_reviewed": "说明审核", "interview": "约谈",
                 "interview_minutes": "约谈记录", "admonishment": "诫勉谈话", "admonishment_minutes": "诫勉谈话记录",
                 "committee": "考评委员会", "committee_decision": "委员会结论", "observation": "观察期",
                 "observation_started": "启动观察期", "mandatory_exit": "员额退出", "commitment_shortfall": "承诺未兑现",
                 "review_result": "评查结果", "quota_exit": "员额退出", "score_item": "加减分", "leader_caseload": "院庭长办案",
                 "supervision_lapse": "怠于履行监督管理职责", "petition_answered": "答复信访"}

# The dossier's words for what a record's detail holds. A key not here carries a code whose words
# the record's title already gives (a ground, an outcome, a path), so the document leaves it out.
DETAIL_LABELS = {"caseload": "办案量", "closed_ytd": "本年累计结案", "credit_items": "计分事项", "appeals": "上诉改发",
                 "reviews": "评查", "grade": "评查等次", "due_on": "答复期限", "late": "逾期答复", "explanation": "说明",
                 "measures": "整改措施", "note": "意见", "by": "经办人", "on": "日期", "place": "地点",
                 "minutes": "记录", "reasons": "理由", "reason": "理由", "cases": "案件", "until": "至",
                 "attached": "附材料（件）", "months_assessed": "考核月数", "ladder": "考核阶梯", "step": "步骤",
                 "period": "期间", "score": "得分", "count": "件数"}
CREDIT_LABELS = {"meeting": "专业法官会议", "review": "评查", "petition": "信访"}


def detail_lines(detail: dict) -> list[str]:
    """A dossier record's detail as 「标签：值」 lines: booleans as 是/否, lists joined, counts by name."""
    lines = []
    for key, value in detail.items():
        if key not in DETAIL_LABELS or value in (None, "", {}, []):
            continue
        lines.append(f"{DETAIL_LABELS[key]}：{_detail_value(value)}")
    return lines


def _detail_value(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{CREDIT_LABELS.get(k) or DETAIL_LABELS.get(k, '')}{_detail_value(v)}" for k, v in value.items()
                        if k in CREDIT_LABELS or k in DETAIL_LABELS)
    return date_words(value, "zh_CN") if isinstance(value, (str, date)) else str(value)  # a date, as 2025年2月20日

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_court_ids(session, actor: Actor) -> list[int]:
    return [c.id for c in visible_courts(session, actor)]


def visible_indicator_report(session, actor: Actor, period: str, court_id: int | None, level: str | None) -> dict:
    """The indicator report of the courts the actor sees (or the one asked for, when visible), for the API and exports."""
    courts = visible_court_ids(session, actor)
    if court_id is not None:
        if court_id not in courts:
            raise NotFound("not_found.api.court_not_found", court_id=court_id)
        courts = [court_id]
    if not courts:
        raise NotFound("not_found.api.no_court_visible_you")
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        raise Invalid("period", "invalid.assessment.not_a_period", period=period) from exc
    return indicator_report(session, parsed, policy(session, courts[0], "indicators"), courts,
                            (level,) if level else LEVELS)


def visible_person(session, actor: Actor, user_id: int) -> User:
    """The person, if the actor is that person or reads about them (need to know); else NotFound."""
    user = session.get(User, user_id)
    if user is None or not reads_person(session, actor, user):
        raise NotFound("not_found.assessment.person_not_found", user_id=user_id)
    return user


def monthly_trend(session, end: Period, *, court_id=None, division_id=None, judge_id=None) -> list[dict]:
    """Received and closed per month for the 12 months to `end`, each beside the same month a year before."""
    months = [end]
    while len(months) < 12:
        months.append(months[-1].previous())
    months.reverse()
    first = months[0].same_last_year().start
    counts = {}
    for column, name in ((Case.closed_on, "closed"), (Case.filed_on, "received")):
        label = func.substr(text_of(column), 1, 7)
        stmt = select(label, func.count()).where(column.between(first, end.end)).group_by(label)
        for col, value in (("court_id", court_id), ("division_id", division_id), ("lead_judge_id", judge_id)):
            if value is not None:
                stmt = stmt.where(getattr(Case, col) == value)
        counts[name] = dict(session.execute(stmt).all())
    return [{"month": p.label, "closed": counts["closed"].get(p.label, 0),
             "received": counts["received"].get(p.label, 0),
             "closed_last_year": counts["closed"].get(p.same_last_year().label, 0),
             "received_last_year": counts["received"].get(p.same_last_year().label, 0)} for p in months]


def person_year(session, user_id: int, year: int) -> dict:
    R = AssessmentRecord
    rows = session.execute(select(R).where(R.user_id == user_id, R.start >= date(year, 1, 1),
                                           R.end <= date(year, 12, 31)).order_by(R.start, R.end)).scalars().all()
    return {"months": [r for r in rows if r.period_kind == "month"],
            "evaluations": [r for r in rows if r.period_kind in ("quarter", "half")],
            "year": next((r for r in rows if r.period_kind == "year"), None)}


def latest_month(session) -> Period | None:
    label = session.execute(select(func.max(AssessmentRecord.period)).where(
        AssessmentRecord.period_kind == "month")).scalar()
    return Period.parse(label) if label else None


def ranking(session, court_id: int, month: Period, division_id: int | None = None) -> list[dict]:
    """双排名 of judges by the month's score (shown only where the policy turns rankings on)."""
    R = AssessmentRecord
    stmt = (select(R.user_id, User.display_name, R.score, R.met).join(User, User.id == R.user_id)
            .where(R.period_kind == "month", R.period == month.label, R.court_id == court_id, R.scheme == "judge")
            .order_by(R.score.desc(), User.display_name))
    if division_id is not None:
        stmt = stmt.where(R.division_id == division_id)
    return [{"rank": i, "user_id": u, "name": n, "score": s, "met": m}
            for i, (u, n, s, m) in enumerate(session.execute(stmt).all(), start=1)]


def dossier_document(session, user: User, year: int, now: datetime) -> str:
    """一人一档、一年一卷 as a printable document."""
    court, division = session.get(Court, user.court_id), session.get(Division, user.division_id) if user.division_id else None
    year_view = person_year(session, user.id, year)
    grade = year_view["year"]
    return render_document(
        "dossier.html", title=f"{user.display_name} {year}年度考核档案", court=court.name if court else "",
        division=division.name if division else "", judge=user.display_name, staff_no=user.staff_no, year=year,
        grade=i18n.label("grade", grade.grade, i18n.DEFAULT) if grade and grade.grade else None, grade_score=grade.score if grade else None,
        months=year_view["months"], entries=dossier_entries(session, user.id, year), kinds=DOSSIER_KINDS,
        detail_lines=detail_lines, generated=datetime_words(now.astimezone(COURT_TZ), "zh_CN"))


HEADER = ["level", "id", "name", "court_id", "division_id"] + [
    f"{name}{suffix}" for name in INDICATORS for suffix in ("", "_previous", "_last_year", "_normal")]


def export_rows(report: dict) -> list[list]:
    rows = []
    for u in report["units"]:
        row = [u["level"], u["id"], u["name"], u["court_id"], u["division_id"]]
        for name in INDICATORS:
            v = u["indicators"][name]
            row += [v["value"], v["previous"], v["last_year"], v["normal"]]
        rows.append(row)
    return rows


def header_labels() -> list[str]:
    suffix = {"": "", "_previous": "（环比期）", "_last_year": "（同比期）", "_normal": "（在参考区间内）"}
    labels = ["层级", "编号", "名称", "法院", "审判庭"]
    return labels + [f"{i18n.label('indicator', n, i18n.DEFAULT)}{suffix[s]}" for n in INDICATORS for s in suffix]


def indicators_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header_labels())
    writer.writerow(HEADER)
    writer.writerows(export_rows(report))
    return "\ufeff" + out.getvalue()  # BOM: Excel opens Chinese CSV as UTF-8


def indicators_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = report["period"]
    sheet.append(header_labels())
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(report):
        sheet.append(row)
    sheet.freeze_panes = "D3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ladder_steps_of(session, user_id: int, limit: int = 50) -> list[LadderStep]:
    """A judge's ladder steps, newest first."""
    return list(session.scalars(select(LadderStep).where(LadderStep.user_id == user_id)
                                .order_by(LadderStep.id.desc()).limit(limit)).all())


def home_court(session, actor: Actor, courts: list[int]) -> int:
    """The court a dashboard opens on: the actor's own when visible, else the first visible one."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    return user.court_id if user and user.court_id in courts else courts[0]


def division_court(session, division_id: int) -> int:
    division = session.get(Division, division_id)
    if division is None:
        raise NotFound("not_found.assessment.division_not_found", division_id=division_id)
    return division.court_id


def visible_report(session, actor: Actor, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None or report.court_id not in visible_court_ids(session, actor):
        raise NotFound("not_found.assessment.report_not_found", report_id=report_id)
    return report


REPORT_KINDS = ("weekly_notice", "quarterly_report")


def kept_reports(session, actor: Actor, kind: str | None = None, court_id: int | None = None,
                 limit: int = 200) -> list[dict]:
    """The weekly notices and quarterly reports kept for the courts the actor sees, newest period first:
    id, kind, court (by name), period, title, when made."""
    courts = visible_court_ids(session, actor)
    if court_id is not None:
        courts = [c for c in courts if c == court_id]
    stmt = (select(Report.id, Report.kind, Court.name, Report.period, Report.title, Report.created_at)
            .join(Court, Court.id == Report.court_id).where(Report.court_id.in_(courts))
            .order_by(Report.period.desc(), Report.kind, Court.path).limit(limit))
    if kind in REPORT_KINDS:
        stmt = stmt.where(Report.kind == kind)
    keys = ("id", "kind", "court", "period", "title", "created_at")
    return [dict(zip(keys, row)) for row in session.execute(stmt).all()]
