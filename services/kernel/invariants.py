"""The rules the database keeps (unique indexes), spoken as the refusals the services give.

Each service checks its "at most one … per …" rule before it writes, and says why it refuses.
Two commands racing past that check (on PostgreSQL they do not wait for each other) meet the
unique index instead; this turns the database's IntegrityError into the same refusal, a 409
with the reason, never a 500.
"""
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.exc import IntegrityError

from services.kernel.errors import Conflict, Refused
from store.constraints import violated_unique

REASONS = {
    "uq_extension_waiting": "an extension request for this case is already waiting for a decision",
    "uq_extension_approved_ordinal": "this extension of the case has already been approved; "
                                     "a further extension needs a new request",
    "uq_reassignment_waiting": "a reassignment request for this case is already waiting for a decision",
    "uq_excluded_period_open": "an excluded period of this kind is already open on this case",
    "uq_required_report_outstanding": "a report of this kind is already required of this case and not yet received",
    "uq_meeting_open": "a professional judges' meeting on this case is still open",
    "uq_committee_open": "this case is already before the adjudication committee",
    "uq_draft_review_open": "a draft of this case is already in review; resubmit that one",
    "uq_exit_running": "a quota-exit proceeding for this judge is already running",
    "exitproceeding(source)": "this quota-exit proceeding has already been opened",
    "meeting_opinion(meeting_id, user_id)": "you have already given your opinion",
    "uq_channel_active_target": "this channel is already set up",
}
"""Per unique index or constraint (store.constraints names them): the refusal a violation means."""


def refusal_for(exc: IntegrityError) -> Refused | Conflict:
    """The refusal a unique violation stands for; any other integrity error is a conflict to reload."""
    reason = REASONS.get(violated_unique(exc) or "")
    if reason:
        return Refused(reason)
    return Conflict("the change clashes with a record saved at the same moment; reload and try again")


@contextmanager
def database_rules() -> Iterator[None]:
    """Wrap a command's transaction (outside `db.write()`, so the commit is inside): a write the
    database refuses is raised as the service's own refusal."""
    try:
        yield
    except IntegrityError as exc:
        raise refusal_for(exc) from exc
