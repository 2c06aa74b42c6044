"""Before an evidence upload is read: may this actor add evidence to this proceeding now, and under which rules.

The upload route asks this first, so another court's user gets 404 and a refused actor 409 without
a byte of the file being read; the rules (types, size limit) then govern the streaming."""
from datetime import datetime

from services.kernel.actor import Actor
from services.kernel.errors import Refused
from services.kernel.policy import policy
from services.kernel.record import record_refusal
from services.kernel.registry import subject_kind
from services.kernel.access import load_visible
from services.kernel.engine import allowed_events

EVENT = "add_evidence"


def evidence_rules(db, actor: Actor, proceeding_id: int, now: datetime):
    """The court's evidence rules if the actor may add evidence now; NotFound or Refused (traced) otherwise."""
    kind = subject_kind("exit_proceedings")
    with db.read() as session:
        row = load_visible(session, actor, kind, proceeding_id)
        allowed = allowed_events(session, actor, kind, row, now)
        rules = policy(session, row.court_id, "quota_exit").evidence
        court_id = row.court_id
    if EVENT not in allowed:
        refusal = Refused("refused.quota_exit.no_evidence_in_state", allowed, state=row.state)
        record_refusal(db, actor, f"{kind.name}.{EVENT}", refusal.reason, at=now, subject_kind=kind.name,
                       subject_id=proceeding_id, court_id=court_id)
        raise refusal
    return rules
