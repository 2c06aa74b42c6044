"""Dashboards (court, division, judge) with inline-SVG charts, the dossier and report documents."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

import i18n
from api.deps import DbDep, NowDep
from api.pages.charts import bar_chart, histogram, line_chart
from api.pages.common import lang_of, page_actor, render
from api.params import IdPath, IdQuery, OptionalPeriodQuery, PeriodQuery, YearPath
from policies.indicators import INDICATORS
from policies.periods import Period, month_before
from policies.roles import LEADERS
from services.assessment.queries import (XLSX, division_court, dossier_document, home_court, indicators_csv,
                                        indicators_xlsx, ladder_steps_of, latest_month, monthly_trend, person_year,
                                        ranking, visible_court_ids, visible_indicator_report, visible_person,
                                        visible_report)
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound
from services.assessment.indicators import indicator_report
from services.kernel.need_to_know import reads_person
from services.kernel.policy import policy
from store.models import User

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html
PERCENT_FREE = ("avg_days_to_disposition", "case_dispute_ratio")


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
    charts = {"trend": line_chart("trend", months, [
        (i18n.gettext("chart_this_period", lang), [t["closed"] for t in trend], "now"),
        (i18n.gettext("chart_last_year", lang), [t["closed_last_year"] for t in trend], "before")])}
    rates = [u["indicators"]["closure_rate"]["value"] for u in report_units
             if u["level"] == "judge" and u["indicators"]["closure_rate"]["value"] is not None]
    if rates:
        charts["distribution"] = histogram("distribution", rates, band=(closure.low, closure.high) if closure else None)
    ages = unit["age_profile"]
    charts["ages"] = bar_chart("ages", [i18n.label("age_bucket", str(i), lang) for i in range(len(ages))],
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
        judge = _judge_context(session, unit_id, period) if level == "judge" else {}
        readable = {c["id"] for c in children if c["level"] == "judge"
                    and reads_person(session, actor, session.get(User, c["id"]))}  # linked only where it opens
        units = [u for u in report["units"] if level != "division" or u.get("division_id") == unit_id]
        charts = _charts(units, unit, trend, period, ind_policy, lang_of(request)) if unit["age_profile"] else {}
    return render(request, "assessment/dashboard.html", actor, level=level, unit=unit, report=report, period=period,
                  charts=charts, children=children, ranks=ranks, court_id=court_id, indicators=INDICATORS,
                  percent_free=PERCENT_FREE, readable_judges=readable, **judge)


def _judge_context(session, user_id: int, period: Period) -> dict:
    year = person_year(session, user_id, period.year)
    scores = [r.score for r in year["months"]]
    chart = line_chart("scores", [r.period[5:] for r in year["months"]], [("得分", scores, "now")], band=(60, 100)) \
        if scores else None
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


def _export(request: Request, db, period: str, court_id: int | None, fmt: str) -> Response:
    actor = page_actor(request)
    with db.read() as session:
        report = visible_indicator_report(session, actor, period, court_id, None)
    body, media = (indicators_csv(report), "text/csv; charset=utf-8") if fmt == "csv" else (indicators_xlsx(report), XLSX)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="indicators-{report["period"]}.{fmt}"'})


@router.get("/dossier/{user_id}/{year}", response_class=HTMLResponse)
def dossier_page(user_id: IdPath, year: YearPath, request: Request, db: DbDep, now: NowDep):
    """一人一档、一年一卷, as a printable document."""
    actor = page_actor(request)
    with db.read() as session:
        return HTMLResponse(dossier_document(session, visible_person(session, actor, user_id), year, now))


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(report_id: IdPath, request: Request, db: DbDep):
    """A weekly notice or quarterly report document."""
    actor = page_actor(request)
    with db.read() as session:
        return HTMLResponse(visible_report(session, actor, report_id).html)


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("performance", "/dashboard", LEADERS | {"judge", "trial_office", "personnel", "committee"})
