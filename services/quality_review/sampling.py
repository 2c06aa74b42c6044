"""The monthly selection of cases for quality review (SPEC §4), over every court at once.

Focused reviews (重点评查) come first: every case of a mandatory category is selected —
remanded (发回重审: `Case.remanded`, or a remand recorded in `AppealOutcome`), revised
(改判: a revision recorded in `AppealOutcome`), petition (信访: a petition registered in the
month, or before it for a case closed in the month; C4 `cases_with_petitions`), and long-pending (closed more than the policy's 12 months after filing). Then the routine
draw (常规随机) of each court: its population (the month's closed cases), a fresh random
seed and the cases drawn are stored in `ReviewDraw`, so anyone can re-run the draw and get
the same cases. A drawn case that is already under focused review is not reviewed twice.
Running the selection again for the same month adds nothing.
"""
import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select, union

from policies.quality_review import draw_sample
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.sweeps import in_courts
from services.petitions.facts import cases_with_petitions
from services.kernel.policy import courts_by_policy
from services.kernel.record import record
from services.quality_review.selection import (insert_many, insert_review_rows, insert_reviews, months_after, reviewable,
                                       review_row, select_reviews)
from store.models import AppealOutcome, Case, Review, ReviewDraw


@dataclass
class SamplingResult:
    month: str
    population: int = 0
    drawn: int = 0
    routine: int = 0
    focused: dict[str, int] = field(default_factory=dict)
    new_draws: int = 0


def previous_month(as_of: date) -> tuple[date, date, str]:
    """The month before `as_of`: its first and last day and its label YYYY-MM."""
    end = as_of.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end, end.strftime("%Y-%m")


def sample_month(db, as_of: date, now: datetime, actor: Actor | None = None,
                 seed: str | None = None) -> SamplingResult:
    """Select the previous month's reviews in every court, in one transaction with one trace entry.

    Each court's draw gets a fresh random seed; `seed` fixes them instead (the demo data, which
    must come out the same every time)."""
    start, end, month = previous_month(as_of)
    result = SamplingResult(month=month)
    with db.write() as session:
        groups = courts_by_policy(session, "quality_review")
        select_focused(session, groups, start, end, month, local_today(now), result)
        draw_routine(session, groups, start, end, month, now, result, seed)
        record(session, actor or Actor.system(), "reviews.sample_month", at=now, subject_kind="reviews",
               why=f"案件质量评查抽样 {month}", after=asdict(result))
    return result


# --- focused ---------------------------------------------------------------------------------

def select_focused(session, groups: list, start: date, end: date, month: str, today: date,
                   result: SamplingResult) -> None:
    """Each category in precedence order; a case in several gets one focused review, of the first."""
    for category in groups[0][0].focused.categories:
        cases = _category_cases(session, category, groups, start, end)
        stmt = select_reviews(session, "focused:", "focused", category, month, today).where(
            Case.id.in_(cases), reviewable(None, end))
        result.focused[category] = insert_reviews(session, stmt)


def _category_cases(session, category: str, groups: list, start: date, end: date):
    """A SELECT of case ids in the category for the month."""
    appeal = lambda outcome: select(AppealOutcome.case_id).where(  # noqa: E731
        AppealOutcome.outcome == outcome, AppealOutcome.decided_on.between(start, end))
    if category == "remanded":
        flagged = select(Case.id).where(Case.remanded.is_(True), Case.closed_on.between(start, end))
        return union(flagged, appeal("remanded"))
    if category == "revised":
        return appeal("revised")
    if category == "petition":
        return _petition_cases(start, end)
    return _long_pending(session, groups, start, end)


def _petition_cases(start: date, end: date):
    """A petition registered in the month about a closed case; or a case closed in the month that had
    a petition while it was pending (so a petition about a pending case is reviewed when it closes)."""
    earlier = select(Case.id).where(Case.closed_on.between(start, end),
                                    Case.id.in_(cases_with_petitions(date(1, 1, 1), end)))
    return union(select(Case.id).where(Case.id.in_(cases_with_petitions(start, end))), earlier)


def _long_pending(session, groups: list, start: date, end: date):
    """Closed in the month, more than the court's policy's months after filing."""
    clauses = [and_(in_courts(Case.court_id, courts),
                    Case.closed_on > months_after(session, Case.filed_on, rules.focused.long_pending_months))
               for rules, courts in groups]
    return select(Case.id).where(Case.closed_on.between(start, end), or_(*clauses))


# --- routine ---------------------------------------------------------------------------------

def draw_routine(session, groups: list, start: date, end: date, month: str, now: datetime,
                 result: SamplingResult, seed: str | None = None) -> None:
    """Draw for every court that has closed cases and no draw for the month yet; store and select."""
    rules_of = _rules_by_court(groups)
    done = set(session.exec(select(ReviewDraw.court_id).where(ReviewDraw.month == month)).scalars())
    population = defaultdict(list)
    rows = session.exec(select(Case.id, Case.court_id, Case.division_id, Case.lead_judge_id)
                        .where(reviewable(start, end))).all()
    where = {}
    for case_id, court_id, division_id, judge_id in rows:
        if court_id not in done:
            population[court_id].append((case_id, judge_id))
            where[case_id] = (court_id, division_id, judge_id)
    draws = [_draw(court_id, month, cases, rules_of(court_id), now, f"{seed}:{court_id}:{month}" if seed else None)
             for court_id, cases in population.items()]
    result.new_draws = insert_many(session, ReviewDraw, draws, ["court_id", "month"])
    ids = dict(session.exec(select(ReviewDraw.court_id, ReviewDraw.id).where(ReviewDraw.month == month)).all())
    focused = set(session.exec(select(Review.case_id).where(Review.month == month, Review.kind == "focused")).scalars())
    today = local_today(now)
    selected = [c for d in draws for c in d["selected"]]
    result.population, result.drawn = sum(len(v) for v in population.values()), len(selected)
    result.routine = insert_review_rows(session, [
        review_row(key=f"routine:{c}", kind="routine", month=month, case_id=c, court_id=where[c][0],
                   division_id=where[c][1], judge_id=where[c][2], today=today, draw_id=ids[where[c][0]])
        for c in selected if c not in focused])


def _rules_by_court(groups: list):
    """court id -> the policy in force there, from courts_by_policy's groups (None: every other court)."""
    explicit = {cid: rules for rules, courts in groups if courts is not None for cid in courts}
    default = next((rules for rules, courts in groups if courts is None), None)
    return lambda court_id: explicit.get(court_id, default)


def _draw(court_id: int, month: str, cases: list[tuple[int, int]], rules, now: datetime, seed: str | None) -> dict:
    seed = seed or secrets.token_hex(16)
    per_judge = rules.routine.at_least_one_per_judge
    selected = draw_sample(cases, seed, rules.routine.rate, per_judge)
    return dict(court_id=court_id, month=month, seed=seed, rate=rules.routine.rate, per_judge=per_judge,
                population=sorted([c, j] for c, j in cases), selected=selected, drawn_at=now)


def verify_draw(session, draw_id: int) -> bool:
    """Re-run a stored draw from its population and seed: True when it gives the stored cases."""
    draw = session.get(ReviewDraw, draw_id)
    pairs = [(c, j) for c, j in draw.population]
    return draw_sample(pairs, draw.seed, draw.rate, draw.per_judge) == draw.selected

