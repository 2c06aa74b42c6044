"""What the review pages read: the trial office's board, the reviewer's work, the judge's feedback."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased

from policies.quality_review import GRADES
from services.kernel.actor import Actor
from services.kernel.errors import Refused
from services.kernel.engine import fire
from store.models import Case, Court, Division, Review, User

OFFICE = "trial_office"
REVIEWER_STATES = ("assigned", "reviewing", "rereview")
JUDGE_STATES = ("graded", "objected", "rectifying", "rereview", "closed")


def office_clause(actor: Actor):
    """Reviews in the courts where the actor is the trial office (a subtree grant reaches the courts below)."""
    clauses = []
    for g in actor.grants:
        if g.role == OFFICE:
            clauses.append(Court.path.startswith(g.court_path) if g.include_subtree else Court.id == g.court_id)
    return or_(*clauses) if clauses else false()


@dataclass(frozen=True)
class BoardRow:
    review: Review
    case_number: str
    court: str
    division: str
    judge: str
    reviewer: str


def _rows_stmt():
    judge, reviewer = aliased(User), aliased(User)
    return (select(Review, Case.case_number, Court.name, Division.name, judge.display_name, reviewer.display_name)
            .join(Case, Case.id == Review.case_id).join(Court, Court.id == Review.court_id)
            .outerjoin(Division, Division.id == Review.division_id)
            .outerjoin(judge, judge.id == Review.judge_id).outerjoin(reviewer, reviewer.id == Review.reviewer_id))


def _filters(actor: Actor, month: str | None, state: str | None, grade: str | None):
    clauses = [office_clause(actor)]
    if month:
        clauses.append(Review.month == month)
    if state:
        clauses.append(Review.state == state)
    if grade:
        clauses.append(func.coalesce(Review.final_grade, Review.grade) == grade)
    return and_(*clauses)


def board_rows(session, actor: Actor, month=None, state=None, grade=None, limit: int = 500) -> list[BoardRow]:
    stmt = _rows_stmt().where(_filters(actor, month, state, grade)).order_by(Review.id).limit(limit)
    return [BoardRow(r, n, c, d or "", j or "", rv or "") for r, n, c, d, j, rv in session.exec(stmt).all()]


def board_counts(session, actor: Actor, month=None) -> dict[str, dict[str, int]]:
    """Reviews by state and by grade (the final grade where there is one) for the filters' month."""
    where = _filters(actor, month, None, None)
    base = select(Review.state, func.count()).join(Court, Court.id == Review.court_id).where(where)
    states = dict(session.exec(base.group_by(Review.state)).all())
    grade = func.coalesce(Review.final_grade, Review.grade)
    grades = dict(session.exec(select(grade, func.count()).join(Court, Court.id == Review.court_id)
                               .where(where, grade.is_not(None)).group_by(grade)).all())
    return {"states": states, "grades": {g: grades.get(g, 0) for g in GRADES}}


def grades_by_division(session, actor: Actor, month=None) -> list[tuple[str, dict[str, int]]]:
    """(court · division, counts per grade) for every division with a graded review, most reviewed first."""
    grade = func.coalesce(Review.final_grade, Review.grade)
    stmt = (select(Court.name, Division.name, grade, func.count()).join(Court, Court.id == Review.court_id)
            .outerjoin(Division, Division.id == Review.division_id)
            .where(_filters(actor, month, None, None), grade.is_not(None))
            .group_by(Court.name, Division.name, grade))
    table: dict[str, dict[str, int]] = {}
    for court, division, g, n in session.exec(stmt).all():
        table.setdefault(f"{court} · {division or '—'}", dict.fromkeys(GRADES, 0))[g] = n
    return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def board_months(session, actor: Actor) -> list[str]:
    stmt = (select(Review.month).join(Court, Court.id == Review.court_id).where(office_clause(actor))
            .distinct().order_by(Review.month.desc()))
    return list(session.exec(stmt).scalars())


def reviewer_rows(session, actor: Actor) -> list[BoardRow]:
    """The reviewer's open work first (by due date), then what they graded."""
    stmt = (_rows_stmt().where(Review.reviewer_id == actor.user_id)
            .order_by(Review.state.not_in(REVIEWER_STATES), Review.review_due, Review.id).limit(500))
    return [BoardRow(r, n, c, d or "", j or "", rv or "") for r, n, c, d, j, rv in session.exec(stmt).all()]


def judge_rows(session, actor: Actor) -> list[BoardRow]:
    """Feedback on the judge's own cases, newest first."""
    stmt = (_rows_stmt().where(Review.judge_id == actor.user_id, Review.state.in_(JUDGE_STATES))
            .order_by(Review.graded_on.desc(), Review.id.desc()).limit(500))
    return [BoardRow(r, n, c, d or "", j or "", rv or "") for r, n, c, d, j, rv in session.exec(stmt).all()]


def assign_selected(db, actor: Actor, month: str, now: datetime) -> tuple[int, list[str]]:
    """Draw a reviewer for every selected review of the month in the actor's courts (each its own command)."""
    with db.read() as session:
        ids = session.exec(select(Review.id).join(Court, Court.id == Review.court_id).where(
            office_clause(actor), Review.month == month, Review.state == "selected").order_by(Review.id)).scalars().all()
    done, refused = 0, []
    for review_id in ids:
        try:
            fire(db, actor, "reviews", review_id, "assign", {}, now)
            done += 1
        except Refused as exc:
            refused.append(f"#{review_id}: {exc.reason}")
    return done, refused


def office_courts(session, actor: Actor) -> list[tuple[Court, list[Division]]]:
    """The courts the special-review form offers, with their divisions: where the actor holds the trial office role."""
    ids = [g.court_id for g in actor.grants if g.role == "trial_office"]
    courts = session.scalars(select(Court).where(Court.id.in_(ids)).order_by(Court.id)).all()
    return [(c, list(session.scalars(select(Division).where(Division.court_id == c.id)).all())) for c in courts]


def feedback_record(session, review_id: int) -> dict:
    """The review with its case and court, for the feedback page and its print."""
    review = session.get(Review, review_id)
    return {"review": review, "case": session.get(Case, review.case_id), "court": session.get(Court, review.court_id)}


# Whose turn it is in each state of a review, and the date it is due by (None: no date): the subject page says it.
TURNS = {"selected": ("trial_office", None), "assigned": ("reviewer", "review_due"),
         "reviewing": ("reviewer", "review_due"), "graded": ("judge", "objection_due"),
         "objected": ("committee", "decision_due"), "rectifying": ("judge", "rectification_due"),
         "rereview": ("reviewer", "review_due"), "closed": (None, None)}


def review_section(session, review_id: int, today: date) -> dict:
    """The review's own part of its subject page: the feedback record (what is reviewed, grade, findings, the
    objection window, the rectification), who reviews it, and whose turn it is now, by when (days late, if so)."""
    record = feedback_record(session, review_id)
    review = record["review"]
    people = {review.judge_id, review.reviewer_id} - {None}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(people))).all()) if people else {}
    who, due = TURNS[review.state]
    due_on = getattr(review, due) if due else None
    return {**record, "reviewer": names.get(review.reviewer_id, ""), "graded": review.grade is not None,
            "turn_name": names.get(getattr(review, f"{who}_id", None), "") if who else "", "turn_due": due_on,
            "late": max(0, (today - due_on).days) if due_on else 0}
