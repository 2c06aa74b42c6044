"""Commands on a case that are not events of the case machine (flag it, refer it, file a draft):
one transaction on a case the actor can see; a refusal is traced on its own, like fire's."""
from collections.abc import Callable
from datetime import datetime

from services.actor import Actor
from services.errors import Refused
from services.invariants import database_rules
from services.record import record_refusal
from services.subjects import subject_kind
from services.transitions import Command, load_visible


def on_case(db, actor: Actor, action: str, case_id: int, now: datetime, fn: Callable):
    """Run `fn(cmd, case)` and return what it returns; Refused (or a unique index the write hit) rolls back
    and is recorded as refused:<action>."""
    subject = {"subject_kind": "cases", "subject_id": case_id}
    try:
        with database_rules(), db.write() as session:
            case = load_visible(session, actor, subject_kind("cases"), case_id)
            subject["court_id"] = case.court_id
            return fn(Command(session, actor, now, db), case)
    except Refused as refusal:
        record_refusal(db, actor, action, refusal.reason, at=now, **subject)
        raise
