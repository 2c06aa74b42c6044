"""Indicators (JSON, CSV, Excel), assessment records, dossiers, weekly commitments, reports."""
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath, IdQuery, PeriodQuery, YearPath
from api.responses import AssessmentYear, Commitment, DossierItem, IndicatorReport
from services.kernel.subjects import Payload
from services.assessment import commitments
from services.assessment.queries import (dossier_document, indicators_csv, indicators_xlsx, person_year,
                                       XLSX, visible_court_ids, visible_indicator_report, visible_person)
from services.kernel.dossier import dossier_entries
from services.kernel.errors import NotFound
from services.kernel.bounds import Day
from store.models import Report

router = APIRouter(prefix="/api/v1", tags=["assessment"])

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
def indicators_as_csv(actor: CurrentActor, db: DbDep, period: PeriodQuery, court_id: IdQuery = None,
                      level: Literal["court", "division", "judge"] | None = None):
    """The same, as CSV (UTF-8 with BOM)."""
    report = _report(db, actor, period, court_id, level)
    return Response(indicators_csv(report), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="indicators-{report["period"]}.csv"'})


@router.get("/indicators.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the report as a workbook"}})
def indicators_as_xlsx(actor: CurrentActor, db: DbDep, period: PeriodQuery, court_id: IdQuery = None,
                       level: Literal["court", "division", "judge"] | None = None):
    """The same, as an Excel workbook."""
    report = _report(db, actor, period, court_id, level)
    return Response(indicators_xlsx(report),
                    media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="indicators-{report["period"]}.xlsx"'})


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
