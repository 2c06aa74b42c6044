"""Recording an inquiry into or interference with a case (三个规定): anyone who can see the case records it,
once; the record is never changed (its table refuses UPDATE and DELETE) and its trace entry seals it."""
from datetime import datetime

from services.cases.facts import CASES
from services.integrity.payloads import RecordInterference
from services.kernel.access import load_visible
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Invalid
from services.kernel.record import record
from store.jsonable import as_utc, row_snapshot
from store.models import InterferenceRecord, User

ACTION = "interference_records.record"
KIND = "interference_records"


def record_interference(db, actor: Actor, body: RecordInterference, now: datetime) -> int:
    """Add the record; 404 for a case the actor cannot see, 422 for a future day or an unknown or own account."""
    with db.write() as session:
        case = load_visible(session, actor, CASES, body.case_id)
        _check(session, actor, body, now)
        row = InterferenceRecord(case_id=case.id, court_id=case.court_id, division_id=case.division_id,
                                 recorded_by=actor.user_id, recorded_at=as_utc(now), **body.model_dump(exclude={"case_id"}))
        session.add(row)
        session.flush()
        record(session, actor, ACTION, at=now, subject_kind=KIND, subject_id=row.id, court_id=row.court_id,
               why="三个规定：如实记录过问、干预案件情况", after=row_snapshot(row))
        return row.id


def _check(session, actor: Actor, body: RecordInterference, now: datetime) -> None:
    if body.occurred_on > local_today(now):
        raise Invalid("occurred_on", "invalid.integrity.occurred_in_future", day=str(body.occurred_on))
    if body.person_user_id is None:
        return
    if body.person_user_id == actor.user_id:
        raise Invalid("person_user_id", "invalid.integrity.own_conduct_not_recorded")
    if session.get(User, body.person_user_id) is None:
        raise Invalid("person_user_id", "invalid.integrity.no_user", user_id=body.person_user_id)
