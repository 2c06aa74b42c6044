"""Dashboards (court, division, judge) with inline-SVG charts, the dossier and report documents; the leaders'
caseloads page every user of the court reads, the targets and personnel's lists, a person's assessment year."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

import i18n
from api.deps import DbDep, NowDep
from api.pages.charts import bar_chart, histogram, line_chart
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import refusal_text
from api.params import IdPath, IdQuery, OptionalMonthQuery, OptionalPeriodQuery, PeriodQuery, YearPath
from policies.indicators import GROUPS
from policies.periods import Period, month_before
from policies.roles import LEADERS, ROLES
from services.assessment.results import (LIST_READERS, court_of_the_actor, leader_caseloads, lists_xlsx,
                                         may_read_lists, rankings, result_lists, unit_results)
from services.assessment.qualitative import EvaluationEntry, evaluate
from services.assessment.ladder_steps import ladder_picture
from services.assessment.score_items import ItemEntry, enter_item, items_of
from services.assessment.queries import (REPORT_KINDS, XLSX, division_court, dossier_document, home_court,
                                         indicator_export, kept_reports, ladder_steps_of, latest_month, monthly_trend,
                                         person_year, ranking, visible_court_ids, visible_person, visible_report)
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.assessment.analysis import KIND as ANALYSIS, comment_on, report_workbook
from services.assessment.drill_down import figure_lists
from services.kernel.pdf import PdfUnavailable, html_to_pdf
from services.assessment.indicators import LEVELS, catalogue_rows, indicator_report
from services.assessment.trends import indicator_trend
from services.kernel.need_to_know import reads_person
from services.kernel.policy import policy
from sqlmodel import select

from store.models import Court, Division, Report, ReportComment, User

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html


def _period(session, label: str | None, now) -> Period:
    if label:
        try:
            return Period.parse(label)
        except ValueError as exc:
            raise Invalid("period", "invalid.assessment.not_a_period", period=label) from exc
    return latest_month(session) or month_before(local_today(now))


def _charts(report_units: list[dict], unit: dict, trend: list[dict], period: Period, indicators_policy,
            lang: str) -> dict:
    months = [t["month"][5:] for t in trend]
    closure = indicators_policy.range_for("closure_rate", period.kind)
    with i18n.use(lang):
        return _drawn(report_units, unit, trend, months, closure, lang)


def _drawn(report_units, unit, trend, months, closure, lang) -> dict:
    charts = {"trend": line_chart(i18n.text("trend_closed"), months, [
        (i18n.gettext("chart_this_period", lang), [t["closed"] for t in trend], "now"),
        (i18n.gettext("chart_last_year", lang), [t["closed_last_year"] for t in trend], "before")])}
    rates = [u["indicators"]["closure_rate"]["value"] for u in report_units
             if u["level"] == "judge" and u["indicators"]["closure_rate"]["value"] is not None]
    if rates:
        charts["distribution"] = histogram(i18n.text("distribution"), rates, band=(closure.low, closure.high) if closure else None)
    ages = unit["age_profile"]
    charts["ages"] = bar_chart(i18n.text("age_profile"), [i18n.label("age_bucket", str(i), lang) for i in range(len(ages))],
                               [a["pending"] for a in ages])
    return charts


def _dashboard(request, db, now, level: str, unit_id: int, court_id: int, period_label, division_id=None):
    actor = page_actor(request)
    with db.read() as session:
        if court_id not in visible_court_ids(session, actor) and level != "judge":
            raise NotFound("not_found.api.court_not_found", court_id=court_id)
        period = _period(session, period_label, now)
        ind_policy = policy(session, court_id, "indicators")
        report = indicator_report(session, period, ind_policy, [court_id])
        unit = next((u for u in report["units"] if u["level"] == level and u["id"] == unit_id), None)
        if unit is None:
            unit = {"level": level, "id": unit_id, "name": "", "indicators": {}, "age_profile": [], "counts": {}}
        scope = {"court": {"court_id": court_id}, "division": {"division_id": unit_id},
                 "judge": {"judge_id": unit_id}}[level]
        trend = monthly_trend(session, period if period.kind == "month" else Period("month", period.year, period.last_month),
                              **scope)
        children = [u for u in report["units"] if (level == "court" and u["level"] == "division")
                    or (level == "division" and u["level"] == "judge" and u["division_id"] == unit_id)]
        rankings_on = policy(session, court_id, "assessment").rankings
        latest = latest_month(session)
        ranks = ranking(session, court_id, latest, division_id) if rankings_on and latest and level != "judge" else []
        division_ranks = rankings(session, court_id, latest.label)["divisions"] \
            if rankings_on and latest and level == "court" else []
        leaders = [row for row in leader_caseloads(session, court_id, None)["leaders"]
                   if level == "court" or row["division_id" if level == "division" else "user_id"] == unit_id]
        judge = _judge_context(session, unit_id, period, lang_of(request)) if level == "judge" else {}
        readable = {c["id"] for c in children if c["level"] == "judge"
                    and reads_person(session, actor, session.get(User, c["id"]))}  # linked only where it opens
        units = [u for u in report["units"] if level != "division" or u.get("division_id") == unit_id]
        charts = _charts(units, unit, trend, period, ind_policy, lang_of(request)) if unit["age_profile"] else {}
    return render(request, "assessment/dashboard.html", actor, level=level, unit=unit, report=report, period=period,
                  charts=charts, children=children, ranks=ranks, division_ranks=division_ranks, leaders=leaders,
                  court_id=court_id, lines=catalogue_rows(ind_policy, unit, lang_of(request)), groups=GROUPS,
                  percent_free=ind_policy.shown_as_number(), readable_judges=readable, **judge)


def _judge_context(session, user_id: int, period: Period, lang: str) -> dict:
    year = person_year(session, user_id, period.year)
    scores = [r.score for r in year["months"]]
    with i18n.use(lang):
        chart = line_chart(i18n.text("monthly_scores"), [r.period[5:] for r in year["months"]], [(i18n.text("score"), scores, "now")],
                           band=(60, 100)) if scores else None
    steps = ladder_steps_of(session, user_id)
    return {"year_view": year, "score_chart": chart, "steps": steps, "year": period.year}


@router.get("/dashboard")
def court_dashboard(request: Request, db: DbDep, now: NowDep, court_id: IdQuery = None, period: OptionalPeriodQuery = None):
    """The court's indicators, trend against last year, the judges' distribution, its divisions."""
    actor = page_actor(request)
    with db.read() as session:
        courts = visible_court_ids(session, actor)
        if not courts:
            raise NotFound("not_found.api.no_court_visible_you")
        if court_id is None and actor.user_id:
            court_id = home_court(session, actor, courts)
    return _dashboard(request, db, now, "court", court_id or courts[0], court_id or courts[0], period)


@router.get("/dashboard/division/{division_id}")
def division_dashboard(division_id: IdPath, request: Request, db: DbDep, now: NowDep, period: OptionalPeriodQuery = None):
    """A division's indicators, trend, its judges' distribution and list."""
    with db.read() as session:
        court_id = division_court(session, division_id)
    return _dashboard(request, db, now, "division", division_id, court_id, period, division_id)


@router.get("/dashboard/judge/{user_id}")
def judge_dashboard(user_id: IdPath, request: Request, db: DbDep, now: NowDep, period: OptionalPeriodQuery = None):
    """A judge's indicators, trend, monthly scores, records and follow-ups."""
    actor = page_actor(request)
    with db.read() as session:
        user = visible_person(session, actor, user_id)
    return _dashboard(request, db, now, "judge", user_id, user.court_id, period)


@router.get("/dashboard/indicators/{name}/cases")
def indicator_cases_page(name: str, request: Request, db: DbDep, now: NowDep, level: str = "court",
                         unit_id: IdQuery = None, court_id: IdQuery = None, period: OptionalPeriodQuery = None):
    """下钻: the cases (or petitions) a figure counts, set by set; each list as long as its count."""
    actor = page_actor(request)
    with db.read() as session:
        ind_policy, found = _figure_unit(session, actor, name, level, unit_id, court_id)
        parsed = _period(session, period, now)
        report = indicator_report(session, parsed, ind_policy, [court_id], (level,))
        unit = next((u for u in report["units"] if u["id"] == found["id"]), None) or {
            **found, "indicators": {name: {"value": None, "range": None, "normal": None,
                                           "source": ind_policy.catalogue[name].source}}}
        lists = figure_lists(session, ind_policy, name, parsed, level, found["id"])
    return render(request, "assessment/indicator_cases.html", actor, indicator=name, unit=unit, period=parsed,
                  figure=unit["indicators"][name], lists=lists, court_id=court_id,
                  percent_free=ind_policy.shown_as_number())


@router.get("/dashboard/indicators/{name}/trend")
def indicator_trend_page(name: str, request: Request, db: DbDep, now: NowDep, level: str = "court",
                         unit_id: IdQuery = None, court_id: IdQuery = None, period: OptionalPeriodQuery = None,
                         kind: str = "month"):
    """趋势: the last 12 months (or 9 quarters) of one figure, with 环比, 同比 and the reference band."""
    actor = page_actor(request)
    with db.read() as session:
        ind_policy, unit = _figure_unit(session, actor, name, level, unit_id, court_id)
        end = _period(session, period, now)
        end = Period("month", end.year, end.last_month) if kind == "month" else Period("quarter", end.year, (end.last_month + 2) // 3)
        trend = indicator_trend(session, ind_policy, name, end, level, unit["id"], [court_id], unit["court_level"])
    points = trend["points"]
    band = points[-1]["range"]
    with i18n.use(lang_of(request)):
        chart = line_chart("trend", [p["period"][5:] for p in points], [
            (i18n.gettext("chart_this_period"), [p["value"] for p in points], "now"),
            (i18n.gettext("chart_last_year"), [p["last_year"] for p in points], "before")],
            band=(band["low"], band["high"]) if band else None)
    return render(request, "assessment/indicator_trend.html", actor, indicator=name, unit=unit, trend=trend,
                  chart=chart, court_id=court_id, period=end, percent_free=ind_policy.shown_as_number())


def _figure_unit(session, actor, name: str, level: str, unit_id: int | None, court_id: int | None):
    """The court's catalogue and the unit (court, or one of its divisions or judges) a figure belongs to."""
    if court_id is None or court_id not in visible_court_ids(session, actor):
        raise NotFound("not_found.api.court_not_found", court_id=court_id)
    ind_policy = policy(session, court_id, "indicators")
    if name not in ind_policy.catalogue or level not in LEVELS:
        raise NotFound("not_found.assessment.indicator", name=name)
    unit_id = unit_id or court_id
    if level == "judge":
        visible_person(session, actor, unit_id)  # a judge's figures open to whoever may read that judge
    court = session.get(Court, court_id)
    names = {"court": lambda: court.name if unit_id == court_id else None,
             "division": lambda: _own(session.get(Division, unit_id), court_id, "name"),
             "judge": lambda: _own(session.get(User, unit_id), court_id, "display_name")}
    unit_name = names[level]()
    if unit_name is None:
        raise NotFound("not_found.assessment.indicator", name=name)
    return ind_policy, {"level": level, "id": unit_id, "name": unit_name, "court_level": court.level}


def _own(row, court_id: int, attribute: str):
    return getattr(row, attribute) if row is not None and row.court_id == court_id else None


@router.get("/dashboard/indicators.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "the indicators as CSV"}})
def dashboard_csv(request: Request, db: DbDep, period: PeriodQuery, court_id: IdQuery = None):
    """The dashboard's CSV export, from the logged-in browser session (the API's is for bearer tokens)."""
    return _export(request, db, period, court_id, "csv")


@router.get("/dashboard/indicators.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the indicators as an Excel workbook"}})
def dashboard_xlsx(request: Request, db: DbDep, period: PeriodQuery, court_id: IdQuery = None):
    """The dashboard's Excel export, from the logged-in browser session."""
    return _export(request, db, period, court_id, "xlsx")


@router.get("/results/lists.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the result lists as an Excel workbook"}})
def result_lists_xlsx(request: Request, db: DbDep, now: NowDep, period: PeriodQuery, court_id: IdQuery = None):
    """The results page's lists as a workbook, from the logged-in browser session (the API's is for bearer tokens)."""
    actor = page_actor(request)
    lang = lang_of(request)
    with db.read() as session:
        court = court_of_the_actor(session, actor, court_id)
        may_read_lists(session, actor, court)
        lists = result_lists(session, court, _period(session, period, now), lang)
    return Response(lists_xlsx(lists, str(request.base_url), lang), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="lists-{lists["period"]}.xlsx"'})


def _export(request: Request, db, period: str, court_id: int | None, fmt: str) -> Response:
    actor = page_actor(request)
    with db.read() as session:
        body, media, name = indicator_export(session, actor, period, court_id, None, lang_of(request), fmt)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/dossier/{user_id}/{year}", response_class=HTMLResponse)
def dossier_page(user_id: IdPath, year: YearPath, request: Request, db: DbDep, now: NowDep):
    """一人一档、一年一卷, as a printable document."""
    actor = page_actor(request)
    with db.read() as session:
        return HTMLResponse(dossier_document(session, visible_person(session, actor, user_id), year, now))


@router.get("/reports")
def reports_page(request: Request, db: DbDep, kind: str | None = None, court_id: IdQuery = None):
    """周通报 and quarterly reports kept for the courts the reader sees, newest first; each opens as its document."""
    actor = page_actor(request)
    with db.read() as session:
        reports = kept_reports(session, actor, kind, court_id)
    return render(request, "assessment/reports.html", actor, reports=reports, kinds=REPORT_KINDS,
                  chosen=kind if kind in REPORT_KINDS else "")


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(report_id: IdPath, request: Request, db: DbDep):
    """A weekly notice or quarterly report document."""
    actor = page_actor(request)
    with db.read() as session:
        return HTMLResponse(visible_report(session, actor, report_id).html)


@router.get("/analysis-reports")
def analysis_reports_page(request: Request, db: DbDep, court_id: IdQuery = None):
    """审判管理报告 kept per court and period: the list, newest first."""
    actor = page_actor(request)
    with db.read() as session:
        visible = visible_court_ids(session, actor)
        courts = [court_id] if court_id in visible else visible
        rows = session.exec(select(Report.id, Report.title, Report.period, Report.created_at)
                            .where(Report.kind == ANALYSIS, Report.court_id.in_(courts))
                            .order_by(Report.created_at.desc(), Report.id.desc()).limit(200)).all()
    return render(request, "assessment/analysis_reports.html", actor, reports=rows)


@router.get("/analysis-reports/{report_id}")
def analysis_report_page(report_id: IdPath, request: Request, db: DbDep, error: str | None = None, status_code: int = 200):
    """One report: the document, its Excel and PDF, and the trial office's comment and measures (会商)."""
    actor = page_actor(request)
    with db.read() as session:
        report = _analysis(session, actor, report_id)
        comment = session.exec(select(ReportComment).where(ReportComment.report_id == report_id)).first()
    return render(request, "assessment/analysis_report.html", actor, report=report, comment=comment, error=error,
                  status_code=status_code)


@router.post("/analysis-reports/{report_id}/comment")
async def comment_from_form(report_id: IdPath, request: Request, db: DbDep, now: NowDep):
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    text = {k: (form.get(k) or "").strip()[:4000] for k in ("comment", "measures")}
    try:
        with db.write() as session:
            comment_on(session, actor, _analysis(session, actor, report_id), text["comment"], text["measures"], now)
    except Refused as exc:
        return analysis_report_page(report_id, request, db, error=refusal_text(exc, lang_of(request)), status_code=409)
    return redirect(f"/analysis-reports/{report_id}?done=comment")


@router.get("/analysis-reports/{report_id}/workbook.xlsx", response_class=Response)
def analysis_report_xlsx(report_id: IdPath, request: Request, db: DbDep):
    with db.read() as session:
        report = _analysis(session, page_actor(request), report_id)
    return Response(report_workbook(report), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="analysis-{report.period}.xlsx"'})


@router.get("/analysis-reports/{report_id}/report.pdf", response_class=Response)
def analysis_report_pdf(report_id: IdPath, request: Request, db: DbDep):
    with db.read() as session:
        report = _analysis(session, page_actor(request), report_id)
    try:
        body = html_to_pdf(report.html)
    except PdfUnavailable as exc:
        raise Refused("refused.assessment.pdf_unavailable") from exc
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="analysis-{report.period}.pdf"'})


def _analysis(session, actor, report_id: int) -> Report:
    report = visible_report(session, actor, report_id)
    if report.kind != ANALYSIS:
        raise NotFound("not_found.assessment.report_not_found", report_id=report_id)
    return report


@router.get("/leaders")
def leaders_page(request: Request, db: DbDep, court_id: IdQuery = None, period: OptionalMonthQuery = None):
    """院庭长办案, published inside the court: every user of the court reads it."""
    actor = page_actor(request)
    with db.read() as session:
        court = court_of_the_actor(session, actor, court_id)
        caseloads = leader_caseloads(session, court, period)
    return render(request, "assessment/leaders.html", actor, **caseloads)


@router.get("/results")
def results_page(request: Request, db: DbDep, now: NowDep, court_id: IdQuery = None,
                 period: OptionalPeriodQuery = None):
    """The court's and divisions' targets for a month; for personnel and the court's leaders, the lists."""
    actor = page_actor(request)
    with db.read() as session:
        court = court_of_the_actor(session, actor, court_id)
        chosen = _period(session, period, now)
        month = chosen if chosen.kind == "month" else Period("month", chosen.year, chosen.last_month)
        units = unit_results(session, court, month.label)
        try:
            may_read_lists(session, actor, court)
            lists = result_lists(session, court, chosen, lang_of(request))
            readable = _dossiers_readable(session, actor, lists)
        except NotFound:
            lists, readable = None, set()
    return render(request, "assessment/results.html", actor, units=units, lists=lists, period=chosen, court_id=court,
                  readable=readable)


def _dossiers_readable(session, actor, lists: dict) -> set[int]:
    """The people on the lists whose dossier this reader may open (the committee reads the lists, not every file)."""
    ids = {e["user_id"] for entries in lists["lists"].values() for e in entries}
    return {i for i in ids if (user := session.get(User, i)) is not None and reads_person(session, actor, user)}


@router.get("/assessment/me")
def my_assessment(request: Request, now: NowDep):
    """The signed-in person's own assessment year."""
    actor = page_actor(request)
    return redirect(f"/assessment/person/{actor.user_id}/{local_today(now).year}")


@router.get("/assessment/person/{user_id}/{year}")
def person_page(user_id: IdPath, year: YearPath, request: Request, db: DbDep, now: NowDep):
    """A person's year (every scheme): monthly records, evaluations, grade, and each bonus or deduction item
    with its state (the person objects from the item's page); forms to evaluate and to enter an item."""
    return _person_page(request, db, page_actor(request), user_id, year, now)


def _person_page(request, db, actor, user_id: int, year: int, now, status_code=200, error=None, form=None):
    with db.read() as session:
        person = visible_person(session, actor, user_id)
        year_view = person_year(session, user_id, year)
        items = items_of(session, user_id)
        rules = policy(session, person.court_id, "assessment").qualitative
    return render(request, "assessment/person.html", actor, status_code=status_code, person=person,
                  year_view=year_view, items=items, year=year, error=error, form=form or {},
                  item_rules=rules.items, month=month_before(local_today(now)).label, today=local_today(now))


async def _act(request: Request, db, now, user_id: int, model, names: tuple[str, ...], act, done):
    """Validate the posted fields `names` as `model` for the person, act, and answer with `done(result)`;
    a refusal or a bad field shows the person's page again with the reason and what was typed."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    data = {k: v for k in names if (v := (form.get(k) or "").strip())}
    try:
        return done(act(db, actor, model.model_validate({"user_id": user_id, **data}), now))
    except (ValidationError, Invalid, Refused) as exc:
        error = refusal_text(exc, lang_of(request))
        return _person_page(request, db, actor, user_id, local_today(now).year, now,
                            status_code=409 if isinstance(exc, Refused) else 422, error=error, form=form)


@router.post("/assessment/person/{user_id}/evaluations")
async def evaluate_from_form(user_id: IdPath, request: Request, db: DbDep, now: NowDep):
    """A leader's comprehensive evaluation, or a judge's of their assistant; a refusal shows on the page."""
    return await _act(request, db, now, user_id, EvaluationEntry, ("kind", "period", "score", "note"), evaluate,
                      lambda _: redirect(f"/assessment/person/{user_id}/{local_today(now).year}?done=evaluate"))


@router.post("/assessment/person/{user_id}/items")
async def enter_item_from_form(user_id: IdPath, request: Request, db: DbDep, now: NowDep):
    """Enter a bonus or deduction item; it goes to the next level for approval."""
    return await _act(request, db, now, user_id, ItemEntry, ("code", "occurred_on", "reason", "evidence"), enter_item,
                      lambda item: redirect(f"/s/score_items/{item['id']}"))


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("performance", "/dashboard", LEADERS | {"judge", "trial_office", "personnel", "committee"}, group="quality")
    shell.add_nav_link("person_page", "/assessment/me", set(ROLES) - {"system"}, group="quality")
    shell.add_nav_link("leaders_page", "/leaders", set(ROLES) - {"system"}, group="quality")
    shell.add_nav_link("results_page", "/results", LEADERS | LIST_READERS, group="quality")
    shell.add_subject_section("ladder_steps", "assessment/_ladder_rungs.html",
                              lambda session, actor, step_id, today: ladder_picture(session, step_id))
    shell.add_nav_link("reports_page", "/reports", LEADERS | {"trial_office", "personnel", "committee"}, group="quality")
    shell.add_nav_link("analysis_reports", "/analysis-reports", LEADERS | {"trial_office"}, group="quality")
