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
    "uq_extension_waiting": "refused.unique.extension_waiting",
    "uq_extension_approved_ordinal": "refused.unique.extension_approved_ordinal",
    "uq_reassignment_waiting": "refused.unique.reassignment_waiting",
    "uq_excluded_period_open": "refused.unique.excluded_period_open",
    "uq_required_report_outstanding": "refused.unique.required_report_outstanding",
    "uq_meeting_open": "refused.unique.meeting_open",
    "uq_committee_open": "refused.unique.committee_open",
    "uq_draft_review_open": "refused.unique.draft_review_open",
    "uq_exit_running": "refused.unique.exit_running",
    "exitproceeding(source)": "refused.unique.exit_opened",
    "meeting_opinion(meeting_id, user_id)": "refused.unique.opinion_given",
    "uq_channel_active_target": "refused.unique.channel_active_target",
}
"""Per unique index or constraint (store.constraints names them): the message id of the refusal it means."""


def refusal_for(exc: IntegrityError) -> Refused | Conflict:
    """The refusal a unique violation stands for; any other integrity error is a conflict to reload."""
    reason = REASONS.get(violated_unique(exc) or "")
    if reason:
        return Refused(reason)
    return Conflict("conflict.kernel.change_clashes_with_record_saved_at")


@contextmanager
def database_rules() -> Iterator[None]:
    """Wrap a command's transaction (outside `db.write()`, so the commit is inside): a write the
    database refuses is raised as the service's own refusal."""
    try:
        yield
    except IntegrityError as exc:
        raise refusal_for(exc) from exc
