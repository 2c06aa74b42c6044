"""Cases: the list, filing, my cases, and the stored assignment draws (the generic GET/transitions live in subjects)."""
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.deps import CurrentActor, DbDep, NowDep
from services.kernel import engine as transitions
from services.cases.assignment import verify_draws
from services.kernel.clock import local_today
from services.cases.filing import CaseCreate, file_case
from services.cases.queries import MAX_PER_PAGE, list_cases, my_cases
from services.kernel.registry import subject_kind
from api.params import DaysQuery, IdPath, IdQuery
from api.responses import CasePage, CaseRow, Draw, SubjectView
from services.kernel.bounds import MAX_ID
from store.models.case import CLOSED_STATES, PENDING_STATES

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])

CaseState = Literal[("pending", "closed", "all") + PENDING_STATES + CLOSED_STATES]  # type: ignore[valid-type]


class CaseFilters(BaseModel):
    """The list's query: one model, validated in one call (FastAPI validates loose parameters one by one)."""
    court_id: IdQuery = None
    division_id: IdQuery = None
    judge_id: IdQuery = None
    state: CaseState = Field("pending", description="a state, or pending (the default), closed, all")
    days_left_max: Annotated[int | None, DaysQuery(description="deadline within N days (negative: overdue)")] = None
    days_left_min: Annotated[int | None, DaysQuery(description="at least N days left")] = None
    sort: Literal["deadline", "filed_on", "case_number"] = "deadline"
    order: Literal["asc", "desc"] = "asc"
    page: int = Field(1, ge=1, le=MAX_ID // MAX_PER_PAGE)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


@router.get("", response_model=CasePage)
async def get_cases(actor: CurrentActor, db: DbDep, now: NowDep, q: Annotated[CaseFilters, Query()]):
    """The cases the caller may see, filtered, sorted and paged. `total` is exact up to 1,000
    (`total_exact` says whether it was capped).

    Runs on the event loop: every filter and order is an index range read of a few milliseconds
    (see store/models/case.py), and the busiest page of the app pays no thread hop."""
    with db.reader.begin() as connection:  # one transaction for the page and its count, and no session to build
        items, total, exact = list_cases(connection, actor, **q.model_dump(), today=local_today(now))
    body = {"items": items, "total": total, "total_exact": exact, "page": q.page, "per_page": q.per_page}
    # serialized directly: FastAPI's generic encoder costs more than the query on a 200-row page
    return Response(orjson.dumps(body), media_type="application/json")


@router.post("", status_code=201, response_model=SubjectView)
def post_case(body: CaseCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """立案: a filing clerk files a case; 201 with its view, 409 for anyone else, 422 on a duplicate number."""
    case_id = file_case(db, actor, body, now)
    return transitions.view(db, actor, "cases", case_id, now)


@router.get("/mine", response_model=list[CaseRow])
def get_my_cases(actor: CurrentActor, db: DbDep, now: NowDep):
    """My cases as lead judge: pending first (nearest deadline first), then closed."""
    with db.read() as session:
        return my_cases(session, actor, local_today(now))


@router.get("/{case_id}/draws", response_model=list[Draw])
def get_draws(case_id: IdPath, actor: CurrentActor, db: DbDep):
    """The stored assignment draws of the case, each re-run: verified when it gives the stored judge."""
    with db.read() as session:
        transitions.load_visible(session, actor, subject_kind("cases"), case_id)
        return [{"id": d.id, "method": d.method, "candidates": d.candidates, "seed": d.seed,
                 "result_judge_id": d.result_judge_id, "reason": d.reason, "approved_by": d.approved_by,
                 "at": d.at, "verified": ok} for d, ok in verify_draws(session, case_id)]
