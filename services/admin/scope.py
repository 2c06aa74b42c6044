"""Where an administrator may act: only in the courts their grants cover (a subtree grant covers the
courts below), and only with the roles that keep people or policies."""
from contextlib import contextmanager
from datetime import datetime

from sqlmodel import Session

from policies.roles import PEOPLE_KEEPERS, POLICY_KEEPERS
from services.kernel.actor import Actor
from services.kernel.errors import Forbidden, NotFound
from services.kernel.record import record_refusal
from store.models import Court


def court_of(session: Session, court_id: int) -> Court:
    court = session.get(Court, court_id)
    if court is None:
        raise NotFound("not_found.admin.court", id=court_id)
    return court


def _require(session: Session, actor: Actor, court_id: int, keepers: frozenset, refusal: str) -> Court:
    court = court_of(session, court_id)
    if actor.is_system:
        return court
    if not any(g.court_id == court.id or (g.include_subtree and court.path.startswith(g.court_path))
               for g in actor.grants):  # one's own court, even from one division: a refusal, not absence
        raise NotFound("not_found.admin.court", id=court_id)
    if not actor.roles_at(court.id, court.path, None) & keepers:
        raise Forbidden(refusal, code=court.code, roles=",".join(sorted(keepers)))
    return court


def require_people_keeper(session: Session, actor: Actor, court_id: int) -> Court:
    """personnel or court_admin at the court (court-wide, or a subtree grant above it)."""
    return _require(session, actor, court_id, PEOPLE_KEEPERS, "refused.admin.people_keeper_needed")


def require_policy_keeper(session: Session, actor: Actor, court_id: int) -> Court:
    """court_admin or trial_office at the court (court-wide, or a subtree grant above it)."""
    return _require(session, actor, court_id, POLICY_KEEPERS, "refused.admin.policy_keeper_needed")


def keeps_people(actor: Actor) -> bool:
    return actor.is_system or bool(actor.roles & PEOPLE_KEEPERS)


def keeps_policies(actor: Actor) -> bool:
    return actor.is_system or bool(actor.roles & POLICY_KEEPERS)


@contextmanager
def refusals_traced(db, actor: Actor, action: str, now: datetime, **subject):
    """Run an administrative command; if the actor may not do it (403/404), trace the refusal, then re-raise."""
    try:
        yield
    except (Forbidden, NotFound) as exc:
        record_refusal(db, actor, action, str(exc), at=now, **subject)
        raise
