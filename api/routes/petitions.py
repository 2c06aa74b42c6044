"""Petitions (信访): register, list the visible ones, and the counts for the indicators
(the generic GET /api/v1/petitions/{id} and /transitions assign, answer, close and merge)."""
from datetime import date
from typing import Annotated

from fastapi import APIRouter

from api.deps import CurrentActor, DbDep, NowDep
from services.kernel import engine as transitions
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound
from services.petitions.queries import list_petitions, visible_counts
from services.petitions.registration import PetitionCreate, register_petition
from api.params import DayQuery, IdQuery
from api.responses import PetitionCount, PetitionRow, SubjectView

router = APIRouter(prefix="/api/v1/petitions", tags=["petitions"])


@router.post("", status_code=201, response_model=SubjectView)
def post_petition(body: PetitionCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """有信必录: register a petition; 201 with its view, 422 naming the missing or unknown field."""
    petition_id = register_petition(db, actor, body, now)
    try:
        return transitions.view(db, actor, "petitions", petition_id, now)
    except NotFound:  # it names the registrar's superior: from now on only the level above reads it
        return {"kind": "petitions", "id": petition_id, "state": "registered", "version": 1, "allowed_events": [],
                "withheld": True}


@router.get("", response_model=list[PetitionRow])
def get_petitions(actor: CurrentActor, db: DbDep, now: NowDep, open_only: bool = True,
                  division_id: IdQuery = None, case_id: IdQuery = None):
    """Visible petitions, nearest due date first, each with its status (open, due_soon, late, …)."""
    with db.read() as session:
        return list_petitions(session, actor, local_today(now), open_only=open_only, division_id=division_id,
                              case_id=case_id)


@router.get("/counts", response_model=list[PetitionCount])
def get_counts(actor: CurrentActor, db: DbDep, now: NowDep, start: Annotated[date, DayQuery(description="period start")],
               end: Annotated[date, DayQuery(description="period end (inclusive)")],
               as_of: Annotated[date | None, DayQuery(description="open-late as of this day (default today)")] = None):
    """Per court and division: received, answered on time, answered late, open late."""
    if end < start:
        raise Invalid("end", "invalid.api.period_ends_before_it_starts")
    with db.read() as session:
        return visible_counts(session, actor, start, end, as_of or local_today(now))
