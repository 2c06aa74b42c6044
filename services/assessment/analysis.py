"""审判管理报告 (issue 21): per court and period (month, quarter, half-year, year) the catalogue with 环比/同比
and 同比趋优, the weak indicators (out of range, or worse than a year before) with the divisions and judges
that weigh most on them and the link to their cases, the petitions, the indicators still awaiting their
data, and the follow-up of the measures the trial office recorded on the previous report of the same
length (审判数据会商). Kept as a Report (kind analysis_report: one per court and period), shown as a page,
an Excel workbook and a PDF."""
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

import i18n

from policies.periods import Period
from services.assessment.indicators import catalogue_rows, reports_by_policy
from services.assessment.reports import store_reports
from services.kernel.actor import Actor
from services.kernel.documents import render_document
from services.kernel.errors import Refused
from services.kernel.policy import policy
from services.kernel.record import record
from store.models import Court, Report, ReportComment

KIND = "analysis_report"
TOP = 3
LENGTH_WORD = {"month": "月度", "quarter": "季度", "half": "半年", "year": "年度"}


def make_analysis_reports(session, period: Period, now: datetime) -> dict:
    """Every court's report for `period` (made once: a court's report for a period is kept as first made)."""
    courts = list(session.execute(select(Court).order_by(Court.id)).scalars())
    units = defaultdict(list)
    for _, report in reports_by_policy(session, period):  # each court by its own catalogue and ranges
        for unit in report["units"]:
            units[unit["court_id"]].append(unit)
    follow = _previous_measures(session, period)
    docs = []
    for court in courts:
        pol = policy(session, court.id, "indicators")
        data = court_analysis(pol, period, units.get(court.id, []), follow.get(court.id))
        title = f"{court.name} {period.label} {LENGTH_WORD[period.kind]}审判管理报告"
        docs.append((court, title, render_document("analysis_report.html", title=title, court=court.name, **data), data))
    added = store_reports(session, KIND, period.label, docs, now)
    record(session, Actor.system(), "report.analysis", at=now, why=f"审判管理报告 {period.label}",
           after={"period": period.label, "reports": added})
    return {"period": period.label, "reports": added}


def court_analysis(pol, period: Period, units: list[dict], follow_up: dict | None) -> dict:
    court = next((u for u in units if u["level"] == "court"), None)
    catalogue = catalogue_rows(pol, court, "zh_CN") if court else []  # the lines of the court's dashboard
    weak = [dict(row, contributors=_contributors(pol, row["name"], units)) for row in catalogue
            if row["normal"] is False or row["improving"] is False]
    return {"period": period.label, "kind": period.kind, "court_id": court["id"] if court else None,
            "catalogue": catalogue, "weak": weak,
            "improving": court["improving"] if court else 0, "comparable": court["comparable"] if court else 0,
            "petitions": (court or {}).get("counts", {}).get("petitions", 0),
            "awaiting": [r for r in catalogue if r["awaiting"]], "follow_up": follow_up}


def _contributors(pol, name: str, units: list[dict]) -> dict:
    """The divisions and judges whose figure is worst on the indicator (out of range first), TOP of each."""
    better = pol.catalogue[name].better
    found = {}
    for level in ("division", "judge"):
        ranked = [u for u in units if u["level"] == level and u["indicators"][name]["value"] is not None]
        ranked.sort(key=lambda u: (u["indicators"][name]["normal"] is not False,
                                   u["indicators"][name]["value"] * (1 if better == "higher" else -1)))
        found[level] = [{"id": u["id"], "name": u["name"], "value": u["indicators"][name]["value"],
                         "normal": u["indicators"][name]["normal"]} for u in ranked[:TOP]]
    return found


def _previous_measures(session, period: Period) -> dict[int, dict]:
    """Per court: the comment and measures recorded on its report of the period before (same length)."""
    before = period.previous().label
    stmt = (select(Report.court_id, Report.id, Report.title, ReportComment.comment, ReportComment.measures)
            .join(ReportComment, ReportComment.report_id == Report.id)
            .where(Report.kind == KIND, Report.period == before))
    return {c: {"report_id": r, "title": t, "comment": comment, "measures": measures}
            for c, r, t, comment, measures in session.execute(stmt).all()}


def comment_on(session, actor, report: Report, comment: str, measures: str, now: datetime) -> ReportComment:
    """The trial office of the report's court records its comment and the measures decided at the data
    meeting (会商); saved again, it replaces them. The next report of the same length follows them up."""
    court = session.get(Court, report.court_id)
    if report.kind != KIND:
        raise Refused("refused.assessment.not_an_analysis_report", report_id=report.id)
    if "trial_office" not in actor.roles_at(court.id, court.path, None):
        raise Refused("refused.assessment.comment_needs_trial_office", court=court.name)
    row = session.execute(select(ReportComment).where(ReportComment.report_id == report.id)).scalar_one_or_none()
    row = row or ReportComment(report_id=report.id, author_id=actor.user_id)
    row.comment, row.measures, row.author_id, row.updated_at = comment, measures, actor.user_id, now
    session.add(row)
    session.flush()
    record(session, actor, "report.analysis_comment", at=now, subject_kind="report", subject_id=report.id,
           court_id=court.id, why="审判数据会商", after={"comment": comment, "measures": measures})
    return row


def report_workbook(report: Report) -> bytes:
    """The report's catalogue and weak indicators as an Excel workbook (Chinese headings, like the document)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["类别", "指标", "本期", "环比", "同比", "参考区间下限", "参考区间上限", "定义与来源", "说明"])
    for r in report.data.get("catalogue", []):
        rng = r.get("range") or {}
        note = (i18n.label("indicator_awaiting", r["awaiting"], "zh_CN") if r.get("awaiting")
                else i18n.text("outside_range", "zh_CN") if r["normal"] is False else "")
        sheet.append([i18n.label("indicator_group", r["group"], "zh_CN"), r["label"], r["value"], r["mom"], r["yoy"],
                      rng.get("low"), rng.get("high"), r["source"], note])
    weak = book.create_sheet("薄弱指标")
    weak.append(["指标", "本期", "部门或法官", "其值"])
    for r in report.data.get("weak", []):
        for level in ("division", "judge"):
            for c in r["contributors"][level]:
                weak.append([r["label"], r["value"], c["name"], c["value"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
