"""Indicators (JSON, CSV, Excel), assessment records, dossiers, weekly commitments, reports; evaluations and
score items, leaders' caseloads, court and division results, rankings (behind the switch), personnel's lists."""
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from api.deps import CurrentActor, DbDep, NowDep
from api.errors import caller_language
from api.params import IdPath, IdQuery, OptionalMonthQuery, PeriodQuery, RequiredIdQuery, YearPath
from api.responses import AssessmentYear, Commitment, DossierItem, IndicatorReport, SubjectView
from policies.periods import Period
from services.kernel.subjects import Payload
from services.assessment import commitments
from services.assessment.qualitative import EvaluationEntry, evaluate
from services.assessment.results import (court_of_the_actor, leader_caseloads, lists_xlsx, may_read_lists, rankings,
                                         result_lists, unit_results)
from services.assessment.score_items import ItemEntry, enter_item, item_public, items_of
from services.assessment.queries import (dossier_document, indicator_export, person_year, XLSX, visible_court_ids,
                                       visible_indicator_report, visible_person)
from services.kernel.dossier import dossier_entries
from services.kernel.errors import Invalid, NotFound
from services.kernel.bounds import Day
from store.models import Report

router = APIRouter(prefix="/api/v1", tags=["assessment"])


def _period(label: str) -> Period:
    try:
        return Period.parse(label)
    except ValueError as exc:
        raise Invalid("period", "invalid.assessment.not_a_period", period=label) from exc


def _report(db, actor, period: str, court_id: int | None, level: str | None) -> dict:
    with db.read() as session:
        return visible_indicator_report(session, actor, period, court_id, level)


@router.get("/indicators", response_model=IndicatorReport)
def indicators(actor: CurrentActor, db: DbDep, period: PeriodQuery, court_id: IdQuery = None,
               level: Literal["court", "division", "judge"] | None = None):
    """审判质效指标 of the visible courts, their divisions and judges, with 环比, 同比 and reference ranges."""
    return _report(db, actor, period, court_id, level)


@router.get("/indicators.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "the report as CSV"}})
def indicators_as_csv(request: Request, actor: CurrentActor, db: DbDep, period: PeriodQuery, court_id: IdQuery = None,
                      level: Literal["court", "division", "judge"] | None = None):
    """The whole catalogue per unit, grouped 质量/效率/效果, as CSV (UTF-8 with BOM), in the caller's language."""
    return _export(request, actor, db, period, court_id, level, "csv")


@router.get("/indicators.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the report as a workbook"}})
def indicators_as_xlsx(request: Request, actor: CurrentActor, db: DbDep, period: PeriodQuery, court_id: IdQuery = None,
                       level: Literal["court", "division", "judge"] | None = None):
    """The same, as an Excel workbook."""
    return _export(request, actor, db, period, court_id, level, "xlsx")


def _export(request: Request, actor, db, period: str, court_id: int | None, level: str | None, fmt: str) -> Response:
    with db.read() as session:
        body, media, name = indicator_export(session, actor, period, court_id, level, caller_language(request), fmt)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _record(r) -> dict:
    return {k: getattr(r, k) for k in ("period_kind", "period", "start", "end", "closed", "member_closed", "credits",
                                        "quantity", "target", "met", "missed_streak", "quality", "efficiency",
                                        "effect", "score", "grade", "detail")}


@router.get("/assessment/{user_id}/{year}", response_model=AssessmentYear)
def assessment_year(user_id: IdPath, year: YearPath, actor: CurrentActor, db: DbDep):
    """A person's monthly records, quarterly and half-year evaluations and annual grade for a year."""
    with db.read() as session:
        visible_person(session, actor, user_id)
        view = person_year(session, user_id, year)
    return {"months": [_record(r) for r in view["months"]], "evaluations": [_record(r) for r in view["evaluations"]],
            "year": _record(view["year"]) if view["year"] else None}


@router.get("/dossier/{user_id}/{year}", response_model=list[DossierItem])
def dossier(user_id: IdPath, year: YearPath, actor: CurrentActor, db: DbDep):
    """一人一档、一年一卷: every record of the person's year."""
    with db.read() as session:
        visible_person(session, actor, user_id)
        entries = dossier_entries(session, user_id, year)
    return [{"on": e.on, "kind": e.kind, "title": e.title, "ref_kind": e.ref_kind, "ref_id": e.ref_id,
             "detail": e.detail} for e in entries]


@router.get("/dossier/{user_id}/{year}/document", response_class=HTMLResponse)
def dossier_printable(user_id: IdPath, year: YearPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """The year's dossier as a printable document."""
    with db.read() as session:
        user = visible_person(session, actor, user_id)
        return HTMLResponse(dossier_document(session, user, year, now))


class CommitmentCreate(Payload):
    week_start: Day = Field(description="the Monday of the week")
    promised: int = Field(ge=0, le=500, description="closures promised")


@router.post("/commitments", status_code=201, response_model=Commitment)
def make_commitment(body: CommitmentCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """法官承诺制: forecast this (or a later) week's closures."""
    return commitments.commit(db, actor, body.week_start, body.promised, now)


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_document(report_id: IdPath, actor: CurrentActor, db: DbDep):
    """A weekly notice or quarterly report as its printable document."""
    with db.read() as session:
        report = session.get(Report, report_id)
        if report is None or report.court_id not in visible_court_ids(session, actor):
            raise NotFound("not_found.api.report_not_found", report_id=report_id)
        return HTMLResponse(report.html)


@router.post("/evaluations", status_code=201)
def give_evaluation(body: EvaluationEntry, actor: CurrentActor, db: DbDep, now: NowDep) -> dict:
    """综合评价 by a leader, or a judge's evaluation of their assistant, for a month not yet assessed."""
    return evaluate(db, actor, body, now)


@router.post("/score-items", status_code=201, response_model=SubjectView)
def enter_score_item(body: ItemEntry, actor: CurrentActor, db: DbDep, now: NowDep):
    """A bonus or deduction item the policy names, with reason and evidence; the next level approves it."""
    return enter_item(db, actor, body, now)


@router.get("/score-items")
def score_items_of(user_id: RequiredIdQuery, actor: CurrentActor, db: DbDep) -> list[dict]:
    """A person's bonus and deduction items, newest first (the person sees each of theirs)."""
    with db.read() as session:
        visible_person(session, actor, user_id)
        return [{"id": i.id, "state": i.state, **item_public(i)} for i in items_of(session, user_id)]


@router.get("/leader-caseloads")
def leader_caseloads_of(actor: CurrentActor, db: DbDep, court_id: IdQuery = None,
                        period: OptionalMonthQuery = None) -> dict:
    """院庭长办案: each leader's own caseload against their share, published to everyone in the court."""
    with db.read() as session:
        return leader_caseloads(session, court_of_the_actor(session, actor, court_id), period)


@router.get("/unit-results")
def unit_results_of(actor: CurrentActor, db: DbDep, court_id: IdQuery = None, period: OptionalMonthQuery = None) -> dict:
    """The court's and its divisions' month against their targets (全院目标、部门业绩)."""
    with db.read() as session:
        return unit_results(session, court_of_the_actor(session, actor, court_id), period)


@router.get("/rankings")
def rankings_of(actor: CurrentActor, db: DbDep, court_id: IdQuery = None, period: OptionalMonthQuery = None) -> dict:
    """双排名 of divisions and judges: 409 while the court's policy keeps rankings off (the default)."""
    with db.read() as session:
        return rankings(session, court_of_the_actor(session, actor, court_id), period)


def _lists(db, actor, court_id: int | None, period: str, lang: str) -> dict:
    with db.read() as session:
        court = court_of_the_actor(session, actor, court_id)
        may_read_lists(session, actor, court)
        return result_lists(session, court, _period(period), lang)


@router.get("/result-lists")
def result_lists_of(request: Request, actor: CurrentActor, db: DbDep, period: PeriodQuery,
                    court_id: IdQuery = None) -> dict:
    """For personnel: award, promotion and interview candidates of a period, each linked to the dossier
    (the reasons in the caller's language)."""
    return _lists(db, actor, court_id, period, caller_language(request))


@router.get("/result-lists.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the lists as a workbook"}})
def result_lists_as_xlsx(request: Request, actor: CurrentActor, db: DbDep, period: PeriodQuery,
                         court_id: IdQuery = None):
    """The same lists as an Excel workbook, one sheet per list, each name linked to the dossier."""
    lang = caller_language(request)
    lists = _lists(db, actor, court_id, period, lang)
    return Response(lists_xlsx(lists, str(request.base_url), lang), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="lists-{lists["period"]}.xlsx"'})
