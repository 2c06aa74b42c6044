"""What the trial office's petitions board and the API read: visible petitions, the board's
counts per division (open, due soon, late), and the indicator counts of C4 named and scoped."""
from datetime import date

from sqlalchemy import and_, case as when, false, func, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from services.kernel.actor import Actor
from services.petitions.facts import petition_counts
from services.kernel.need_to_know import withheld_named
from store.models import Case, Court, Division, Petition, User
from store.models.petition import OPEN_PETITION_STATES

Handler = aliased(User)


def visibility(session: Session, actor: Actor):
    """Actor.can_see as a WHERE clause over Petition joined to Court (the place is court + division),
    without the petitions naming the actor or someone over them (services/kernel/need_to_know.py)."""
    if actor.is_system:
        return true()
    return and_(_places(actor), or_(Petition.named_user_id.is_(None),
                                    Petition.named_user_id.not_in(withheld_named(session, actor))))


def _places(actor: Actor):
    clauses = []
    for g in actor.grants:
        if g.include_subtree:
            clauses.append(Court.path.startswith(g.court_path))
        if g.division_id is None:
            clauses.append(Petition.court_id == g.court_id)
        else:
            clauses.append(and_(Petition.court_id == g.court_id, Petition.division_id == g.division_id))
    return or_(*clauses) if clauses else false()


def status(petition: Petition, today: date) -> str:
    """late, due_soon (inside the reminder days), open, or the petition's final state."""
    if petition.state not in OPEN_PETITION_STATES:
        return petition.state
    if petition.due_on < today:
        return "late"
    return "due_soon" if petition.remind_on <= today else "open"


def list_petitions(session: Session, actor: Actor, today: date, *, open_only: bool = True,
                   division_id: int | None = None, case_id: int | None = None, limit: int = 200) -> list[dict]:
    """Visible petitions, nearest due date first, with the names a person reads."""
    stmt = (select(Petition, Court.name, Division.name, Case.case_number, Handler.display_name)
            .join(Court, Court.id == Petition.court_id).outerjoin(Division, Division.id == Petition.division_id)
            .outerjoin(Case, Case.id == Petition.case_id).outerjoin(Handler, Handler.id == Petition.handler_user_id)
            .where(visibility(session, actor)).order_by(Petition.due_on, Petition.id).limit(limit))
    if open_only:
        stmt = stmt.where(Petition.state.in_(OPEN_PETITION_STATES))
    if division_id is not None:
        stmt = stmt.where(Petition.division_id == division_id)
    if case_id is not None:
        stmt = stmt.where(Petition.case_id == case_id)
    return [{"id": p.id, "state": p.state, "status": status(p, today), "petitioner": p.petitioner,
             "channel": p.channel, "matter": p.matter, "summary": p.summary, "court_name": court,
             "division_id": p.division_id, "division_name": division, "case_id": p.case_id,
             "case_number": number, "handler_name": handler, "named_person": p.named_person,
             "registered_on": p.registered_on, "due_on": p.due_on, "days_left": (p.due_on - today).days,
             "answered_on": p.answered_on, "answered_late": bool(p.answered_on and p.answered_on > p.due_on)}
            for p, court, division, number, handler in session.exec(stmt).all()]


def board_by_division(session: Session, actor: Actor, today: date) -> list[dict]:
    """Open petitions per court and division (none: not yet assigned): open, due soon, late."""
    soon = and_(Petition.remind_on <= today, Petition.due_on >= today)
    stmt = (select(Court.name, Division.name, Petition.division_id, func.count(),
                   func.sum(when((soon, 1), else_=0)), func.sum(when((Petition.due_on < today, 1), else_=0)))
            .join(Court, Court.id == Petition.court_id).outerjoin(Division, Division.id == Petition.division_id)
            .where(visibility(session, actor), Petition.state.in_(OPEN_PETITION_STATES))
            .group_by(Court.path, Court.name, Division.name, Petition.division_id)
            .order_by(Court.path, Division.name.asc().nulls_first()))
    return [{"court_name": c, "division_name": d, "division_id": d_id, "open": int(n), "due_soon": int(s or 0),
             "late": int(late or 0)} for c, d, d_id, n, s, late in session.exec(stmt).all()]


def visible_counts(session: Session, actor: Actor, start: date, end: date, as_of: date) -> list[dict]:
    """C4's petition_counts for the courts and divisions the actor may see, with their names."""
    courts = {c.id: c for c in session.exec(select(Court)).all()}
    divisions = {d.id: d.name for d in session.exec(select(Division)).all()}
    return [{**vars(row), "court_name": courts[row.court_id].name, "division_name": divisions.get(row.division_id)}
            for row in petition_counts(session, start, end, as_of)
            if actor.can_see(row.court_id, courts[row.court_id].path, row.division_id)]
