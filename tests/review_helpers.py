"""Quality-review tests: a world with reviewers, a committee and inspection, and closed cases to draw from."""
from datetime import date

from sqlmodel import select

from services.quality_review.sampling import sample_month
from store.models import Case, Notice, PanelMember, Review, Task
from tests.case_helpers import at
from tests.factories import add_user, small_world


def review_world(db):
    """small_world plus a criminal-division judge (an eligible reviewer for civil cases), the review
    committee member and the inspection officer of the 和平 court."""
    world = small_world(db)
    with db.write() as s:
        add_user(s, world, "crim_judge", "hp", ["judge"], "hp_criminal", quota_judge=True)
        add_user(s, world, "committee_a", "hp", ["committee"])
        add_user(s, world, "inspector", "hp", ["inspection"])
    return world


def closed_case(db, world, number: str, judge: str, closed: str, *, court="hp", division="hp_civil",
                filed: str | None = None, state="closed", remanded=False, panel: tuple[str, ...] = ()) -> int:
    """A case the court closed on `closed` (a row as the case lifecycle leaves it), with its panel."""
    closed_on = date.fromisoformat(closed)
    with db.write() as s:
        case = Case(case_number=number, cause="民间借贷纠纷", procedure="civil-first-ordinary",
                    court_id=world.courts[court].id, division_id=world.divisions[division].id,
                    lead_judge_id=world.users[judge].id, filed_on=date.fromisoformat(filed or "2024-12-02"),
                    state=state, decided_on=closed_on, closed_on=closed_on, closing_method="判决",
                    decision_doc_ref=f"{number}判决书", remanded=remanded)
        s.add(case)
        s.flush()
        for seat, member in enumerate((judge, *panel)):
            s.add(PanelMember(case_id=case.id, user_id=world.users[member].id, role="lead" if seat == 0 else "member",
                              since=case.filed_on))
        return case.id


def sample(db, as_of: str = "2025-03-01"):
    return sample_month(db, date.fromisoformat(as_of), at(as_of))


def reviews(db, **where) -> list[Review]:
    with db.read() as s:
        stmt = select(Review).order_by(Review.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(Review, key) == value)
        return list(s.exec(stmt).all())


def review_of(db, case_id: int) -> Review:
    [row] = reviews(db, case_id=case_id)
    return row


def notices_to(db, kind: str) -> list[tuple[int, str]]:
    """(recipient, dedupe key) of every notice of a kind about a review, oldest first."""
    with db.read() as s:
        rows = s.exec(select(Notice).where(Notice.kind == kind, Notice.subject_kind == "reviews")
                      .order_by(Notice.id)).all()
        return [(n.recipient_user_id, n.dedupe_key) for n in rows]


def chased(db, stage: str, task_kind: str) -> list[int]:
    """Who the daily chase told at `stage` (task_due_soon, task_overdue, task_escalated) about the review's
    tasks of `task_kind`, oldest first."""
    with db.read() as s:
        kinds = dict(s.exec(select(Task.id, Task.kind).where(Task.subject_kind == "reviews")).all())
        rows = s.exec(select(Notice).where(Notice.kind == stage, Notice.subject_kind == "reviews")
                      .order_by(Notice.id)).all()
        return [n.recipient_user_id for n in rows if kinds.get(n.context.get("task_id")) == task_kind]
