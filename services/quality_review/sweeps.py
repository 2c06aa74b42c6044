"""The daily sweep of quality reviews: objection windows that lapsed make the grade final.

The review's due dates (the reviewer's, the committee's decision on an objection, the judge's rectification)
are carried by its tasks, which the daily chase reminds, calls overdue and escalates (monitoring.yaml
`chase.kinds`: review_case, rereview_case, decide_review_objection, rectify_review); a rejected rectification
opens a new task with its new due date, chased afresh.
"""
from datetime import date, datetime

from sqlalchemy import select

from services.kernel.access import Command
from services.kernel.actor import Actor
from services.kernel.engine import apply_event  # the same path as fire, inside the sweep's transaction
from services.kernel.registry import subject_kind
from store.models import Review


def sweep_reviews(session, as_of: date, now: datetime) -> int:
    """Finalise lapsed objection windows: reviews changed."""
    return finalise_lapsed(session, as_of, now)


def finalise_lapsed(session, as_of: date, now: datetime) -> int:
    """An objection window that has passed without objection makes the grade final (traced per review)."""
    kind = subject_kind("reviews")
    lapsed = session.exec(select(Review).where(Review.state == "graded", Review.objection_due < as_of)).scalars().all()
    cmd = Command(session, Actor.system(), now)
    for review in lapsed:
        apply_event(cmd, kind, review, "finalise", {})
    return len(lapsed)
