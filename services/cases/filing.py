"""立案: a filing clerk files a case; the deadline is computed at once."""
from datetime import datetime

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from policies.errors import UnknownProcedure
from services.kernel.subjects import Payload
from services.kernel.actor import Actor
from services.cases.clock import recompute_deadline
from services.cases.events import CaseFiled
from services.cases.nodes import complete_by_event, plan_nodes
from services.cases.parties import PartyIn, add_parties
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.events import publish
from services.kernel.policy import policy
from services.kernel.record import record
from services.kernel.access import Command, court_path
from services.kernel.bounds import Day, Id
from store.jsonable import row_snapshot
from store.models import Case, Division


class CaseCreate(Payload):
    case_number: str = Field(min_length=6, max_length=64, description="案号")
    cause: str = Field(default="", max_length=200, description="案由")
    procedure: str = Field(description="程序代码")
    division_id: Id = Field(description="承办部门")
    filed_on: Day = Field(description="立案日期")
    party_count: int = Field(default=2, ge=1, le=100000, description="当事人数")
    variant: str | None = Field(default=None, description="审限变体")
    related_case_number: str | None = Field(default=None, description="关联案件案号")
    remanded: bool = Field(default=False, description="发回重审")
    received_on: Day | None = Field(default=None, description="收到起诉状日期")
    parties: list[PartyIn] = Field(default=[], max_length=1000, description="当事人")


def file_case(db, actor: Actor, data: CaseCreate, now: datetime) -> int:
    """File a case (state `filed`); returns its id. Only a filing clerk of the court may."""
    try:
        with db.write() as session:
            case = _new_case(session, actor, data, now)
            record(session, actor, "cases.file", at=now, subject_kind="cases", subject_id=case.id,
                   court_id=case.court_id, after=row_snapshot(case))
            publish(Command(session, Actor.system(), now), CaseFiled(case))
            return case.id
    except IntegrityError as exc:
        raise Invalid("case_number", "invalid.cases.case_number_already_filed", case_number=data.case_number) from exc


def _new_case(session, actor: Actor, data: CaseCreate, now: datetime) -> Case:
    division = session.get(Division, data.division_id)
    if division is None or not actor.can_see(division.court_id, court_path(session, division.court_id), division.id):
        raise NotFound("not_found.cases.division_not_found", division_id=data.division_id)
    if "filing_clerk" not in actor.roles_at(division.court_id, court_path(session, division.court_id), division.id):
        raise Refused("refused.cases.only_filing_clerk_court_may_file")
    _check_procedure(session, division.court_id, data)
    if data.filed_on > local_today(now):
        raise Invalid("filed_on", "invalid.cases.filing_date_future")
    if data.received_on is not None and data.received_on > data.filed_on:
        raise Invalid("received_on", "invalid.cases.received_after_filing")
    case = Case(**data.model_dump(exclude={"related_case_number", "received_on", "parties"}), court_id=division.court_id,
                related_to_id=_related_id(session, data.related_case_number), state="filed")
    session.add(case)
    session.flush()
    recompute_deadline(session, case)
    add_parties(session, case, data.parties)
    _plan_filing_nodes(session, actor, case, data, now)
    return case


def _plan_filing_nodes(session, actor: Actor, case: Case, data: CaseCreate, now: datetime) -> None:
    """Filing in time (from the complaint's receipt, when given) is done by filing; the filed case's nodes planned."""
    if data.received_on is not None:
        plan_nodes(session, case, "complaint_received", data.received_on, now)
    plan_nodes(session, case, "filed", case.filed_on, now)
    complete_by_event(session, case, "filed", case.filed_on, actor.user_id, now)


def _check_procedure(session, court_id: int, data: CaseCreate) -> None:
    limits = policy(session, court_id, "time_limits")
    try:
        limits.limit(data.procedure, data.variant)
    except UnknownProcedure as exc:
        raise Invalid("procedure", "invalid.cases.unknown_procedure_code", procedure=repr(data.procedure)) from exc
    except LookupError as exc:
        raise Invalid("variant", "invalid.cases.unknown_variant", variant=data.variant, variants=", ".join(getattr(exc, "known", [])) or "—") from exc


def _related_id(session, number: str | None) -> int | None:
    if not number:
        return None
    related = session.exec(select(Case.id).where(Case.case_number == number)).first()
    if related is None:
        raise Invalid("related_case_number", "invalid.cases.no_case_on_file", number=number)
    return related
