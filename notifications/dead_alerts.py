"""A notice that dies tells its court's keepers (trial office, `system` administrators), in-app, once.

Here, beside the delivery that declares a notice dead, so that delivery needs nothing above it;
services/operations/dead_letters.py lists the dead notices and puts them back into the queue."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from store.models import Notice, User
from store.outbox import enqueue
from store.config import get_settings
from store.recipients import holders

KEEPERS = frozenset({"trial_office", "system"})
"""Who sees dead letters and may retry them."""
ALERT_KIND = "notice_dead"


def court_day(now: datetime) -> date:
    """The court's day of `now` (notifications stand below services/kernel/clock, which says the same)."""
    return now.astimezone(ZoneInfo(get_settings().timezone)).date()


def alert_keepers(session: Session, notice_id: int, now: datetime) -> int:
    """Enqueue one notice to the court's keepers about this dead notice; an alert that itself died is
    not announced again (that would loop). Returns how many alerts were new."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.kind == ALERT_KIND:
        return 0
    recipient = session.get(User, notice.recipient_user_id)
    court_id = notice.court_id or recipient.court_id
    keepers = {uid for role in sorted(KEEPERS) for uid in holders(session, role, court_id, on=court_day(now))}
    context = dict(recipient=recipient.display_name, notice_id=notice.id, attempts=notice.attempts,
                   last_error=notice.last_error[:300])
    return enqueue(session, kind=ALERT_KIND, recipients=keepers, dedupe_key=f"notice-dead:{notice.id}", at=now,
                   context=context, court_id=court_id, subject_kind="notices", subject_id=notice.id)
