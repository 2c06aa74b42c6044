"""三个规定 and 权责清单 over JSON: record an inquiry or interference, read the records and the quarterly summaries
one may read, and the powers and duties list of a role or a person (a monthly report is filed through the
generic POST /api/v1/interference_reports/{id}/transitions, event `file`)."""
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath
from policies.roles import ROLES
from services.integrity.payloads import RecordInterference
from services.integrity.powers import person_list, role_list
from services.integrity.queries import record_rows
from services.integrity.readers import readable
from services.integrity.records import record_interference
from services.integrity.summaries import summaries_for
from services.kernel.clock import local_date
from services.kernel.errors import NotFound
from services.kernel.need_to_know import reads_person
from store.jsonable import as_utc
from store.models import User

router = APIRouter(prefix="/api/v1/integrity", tags=["integrity"])


class Recorded(BaseModel):
    id: int


class RecordOut(BaseModel):
    id: int
    case_id: int
    case_number: str
    court_id: int
    source: str
    person_name: str
    person_post: str
    person_org: str
    person_user_id: int | None
    occurred_on: date
    manner: str
    asked: str
    response: str
    recorded_by: int
    recorder: str = Field(description="记录人: shown only to the readers of the record and the recorder")
    recorded_at: datetime

    _in_utc = field_validator("recorded_at")(as_utc)  # SQLite hands the instant back without its zone


class SummaryOut(BaseModel):
    court_id: int
    to_court_id: int
    quarter: str
    figures: dict[str, Any]


class PowersOut(BaseModel):
    role: str
    events: list[dict[str, Any]]
    policy: list[dict[str, Any]]
    duties: list[dict[str, Any]]


class PersonPowersOut(BaseModel):
    user_id: int
    name: str
    grants: list[dict[str, Any]]


@router.post("/records", status_code=201, response_model=Recorded)
def post_record(body: RecordInterference, actor: CurrentActor, db: DbDep, now: NowDep):
    """如实记录: record an inquiry into or interference with a case one can see (404 otherwise); append-only."""
    return {"id": record_interference(db, actor, body, now)}


@router.get("/records", response_model=list[RecordOut])
def get_records(actor: CurrentActor, db: DbDep):
    """The records one may read: one's own, and as inspection (inside) or trial office (outside) of the court or a
    court above — never those naming oneself or one's superiors."""
    with db.read() as session:
        return record_rows(session, readable(session, actor))


@router.get("/summaries", response_model=list[SummaryOut])
def get_summaries(actor: CurrentActor, db: DbDep):
    """The quarterly summaries sent to a court where one holds a recipient role."""
    with db.read() as session:
        return [s.model_dump() for s in summaries_for(session, actor)]


@router.get("/powers/roles/{role}", response_model=PowersOut)
def get_role_powers(role: str, actor: CurrentActor):
    """权责清单 of a role: the events it may fire, the policy fields naming it, the due-date duties it owes."""
    if role not in ROLES:
        raise NotFound("not_found.integrity.no_role", role=role)
    return role_list(role)


@router.get("/powers/people/{user_id}", response_model=PersonPowersOut)
def get_person_powers(user_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """A person's list: each of their grants in force on the court day with the list in force at its court (the
    person, their superiors, personnel and the trial office read it; anyone else gets 404)."""
    with db.read() as session:
        user = session.get(User, user_id)
        if user is None or not reads_person(session, actor, user):
            raise NotFound("not_found.integrity.no_user", user_id=user_id)
        return person_list(session, user, local_date(now))
