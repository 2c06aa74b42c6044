"""立案: a filing clerk files a case; the deadline is computed at once."""
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from policies.errors import UnknownProcedure
from services.actor import Actor
from services.bounds import Day, Id
from services.case_clock import recompute_deadline
from services.calendar_today import local_today
from services.errors import Invalid, NotFound, Refused
from services.four_type_flags import flag_at_filing
from services.policy import policy
from services.record import record
from services.transitions import Command, court_path
from store.jsonable import row_snapshot
from store.models import Case, Division


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case_number: str = Field(min_length=6, max_length=64, description="案号")
    cause: str = Field(default="", max_length=200, description="案由")
    procedure: str = Field(description="程序代码")
    division_id: Id = Field(description="承办部门")
    filed_on: Day = Field(description="立案日期")
    party_count: int = Field(default=2, ge=1, le=100000, description="当事人数")
    variant: str | None = Field(default=None, description="审限变体")
    related_case_number: str | None = Field(default=None, description="关联案件案号")
    remanded: bool = Field(default=False, description="发回重审")


def file_case(db, actor: Actor, data: CaseCreate, now: datetime) -> int:
    """File a case (state `filed`); returns its id. Only a filing clerk of the court may."""
    try:
        with db.write() as session:
            case = _new_case(session, actor, data, now)
            record(session, actor, "cases.file", at=now, subject_kind="cases", subject_id=case.id,
                   court_id=case.court_id, after=row_snapshot(case))
            flag_at_filing(Command(session, Actor.system(), now, db), case)
            return case.id
    except IntegrityError as exc:
        raise Invalid("case_number", f"case number {data.case_number} is already filed") from exc


def _new_case(session, actor: Actor, data: CaseCreate, now: datetime) -> Case:
    division = session.get(Division, data.division_id)
    if division is None or not actor.can_see(division.court_id, court_path(session, division.court_id), division.id):
        raise NotFound(f"division {data.division_id} not found")
    if "filing_clerk" not in actor.roles_at(division.court_id, court_path(session, division.court_id), division.id):
        raise Refused("only a filing clerk of this court may file a case")
    _check_procedure(session, division.court_id, data)
    if data.filed_on > local_today(now):
        raise Invalid("filed_on", "the filing date is in the future")
    case = Case(**data.model_dump(exclude={"related_case_number"}), court_id=division.court_id,
                related_to_id=_related_id(session, data.related_case_number), state="filed")
    session.add(case)
    session.flush()
    recompute_deadline(session, case)
    return case


def _check_procedure(session, court_id: int, data: CaseCreate) -> None:
    limits = policy(session, court_id, "time_limits")
    try:
        limits.limit(data.procedure, data.variant)
    except UnknownProcedure as exc:
        raise Invalid("procedure", f"unknown procedure code {data.procedure!r}") from exc
    except LookupError as exc:
        raise Invalid("variant", str(exc)) from exc


def _related_id(session, number: str | None) -> int | None:
    if not number:
        return None
    related = session.exec(select(Case.id).where(Case.case_number == number)).first()
    if related is None:
        raise Invalid("related_case_number", f"no case {number} is on file")
    return related
