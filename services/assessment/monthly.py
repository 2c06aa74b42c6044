"""一月一考核 (SPEC §5): each quota judge's monthly record, then the quarterly, half-year and
annual evaluations ending with that month, then the escalation ladder; once per month.

Figures come from GROUP BY queries (services/assessment/metrics.py); the Python here runs
over one row per judge. Records are inserted with ON CONFLICT DO NOTHING on (person,
period kind, period): assessing a month again adds nothing.
"""
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, select

import i18n
from policies.assessment import (AssessmentPolicy, annual_grade, composite_score, quantity_score,
                                 ratio, target, task_met)
from policies.periods import Period, month_before, periods_ending_with
from services.kernel.actor import Actor
from services.assessment.metrics import appeals_against, assessed_people, lead_figures, member_figures
from services.assessment.credits import credit_counts, quality_scores
from services.kernel.policy import policy
from services.kernel.record import record
from store.bulk import insert_many_ignoring_duplicates
from store.models import AssessmentRecord, Court

MAX_CATCH_UP = 24


def policy_groups(session) -> list[tuple[AssessmentPolicy, list[int]]]:
    """Courts grouped by the assessment policy in force (usually one group: the default)."""
    groups: dict[int, tuple[AssessmentPolicy, list[int]]] = {}
    for court_id in session.execute(select(Court.id).order_by(Court.id)).scalars():
        pol = policy(session, court_id, "assessment")
        groups.setdefault(id(pol), (pol, []))[1].append(court_id)
    return list(groups.values())


def insert_records(session, rows: list[dict]) -> int:
    return insert_many_ignoring_duplicates(session, AssessmentRecord, rows, ["user_id", "period_kind", "period"])


def months_to_assess(session, as_of: date) -> list[Period]:
    """The last whole month before `as_of`, and any months since the latest assessed one (catch-up)."""
    last = month_before(as_of)
    latest = session.execute(select(func.max(AssessmentRecord.period))
                             .where(AssessmentRecord.period_kind == "month")).scalar()
    if latest is None:
        return [last]
    months, m = [], last
    while m > Period.parse(latest) and len(months) < MAX_CATCH_UP:
        months.append(m)
        m = m.previous()
    return sorted(months)


def month_rows(session, pol: AssessmentPolicy, court_ids: list[int], month: Period) -> list[dict]:
    """One monthly record per assessed judge, built from set-based figures."""
    indicators = policy(session, court_ids[0], "indicators")
    lead = lead_figures(session, pol, indicators, month, court_ids)
    member = member_figures(session, pol, month, court_ids)
    appeals = appeals_against(session, indicators, month, court_ids)
    credits = credit_counts(session, date(month.year, 1, 1), month.end)
    quality = quality_scores(session, month.start, month.end)
    streaks = previous_streaks(session, month.previous(), "month")
    rows = []
    for user_id, court_id, division_id in assessed_people(session, court_ids):
        own, seat = lead.get(user_id, {}), member.get(user_id, {})
        quantity = round(pol.role_coefficients["lead"] * float(own.get("closed_weighted") or 0)
                         + pol.role_coefficients["member"] * float(seat.get("weighted") or 0)
                         + credits.points(user_id, pol.credit_points), 4)
        goal = target(pol, month.n, float(own.get("caseload") or 0))
        met = task_met(quantity, goal)
        closed, first = int(own.get("closed") or 0), int(own.get("first") or 0)
        within = ratio(int(own.get("within") or 0), closed)
        effect = max(0.0, 1 - appeals.get(user_id, 0) / first) if first else None
        scores = {"quantity": quantity_score(pol, quantity, goal), "quality": quality.get(user_id, {}).get("score"),
                  "efficiency": None if within is None else round(100 * within, 2),
                  "effect": None if effect is None else round(100 * effect, 2)}
        rows.append(dict(
            user_id=user_id, court_id=court_id, division_id=division_id, period_kind="month", period=month.label,
            start=month.start, end=month.end, closed=closed, member_closed=int(seat.get("closed") or 0),
            credits=credits.points(user_id, pol.credit_points), quantity=quantity, target=goal, met=met,
            missed_streak=0 if met else streaks.get(user_id, 0) + 1, quality=scores["quality"],
            efficiency=scores["efficiency"], effect=scores["effect"], score=composite_score(pol, scores), grade=None,
            detail={"caseload": round(float(own.get("caseload") or 0), 4), "closed_ytd": int(own.get("closed_ytd") or 0),
                    "credit_items": credits.items(user_id), "appeals": appeals.get(user_id, 0),
                    "reviews": quality.get(user_id, {})}, created_at=None))
    return rows


def previous_streaks(session, period: Period, kind: str) -> dict[int, int]:
    stmt = select(AssessmentRecord.user_id, AssessmentRecord.missed_streak).where(
        AssessmentRecord.period_kind == kind, AssessmentRecord.period == period.label)
    return dict(session.execute(stmt).all())


def evaluation_rows(session, pol: AssessmentPolicy, court_ids: list[int], period: Period, month: Period) -> list[dict]:
    """A quarter, half-year or year: the mean of its monthly scores, the task as at its last month."""
    labels = [Period("month", period.year, m).label for m in range(period.first_month, period.last_month + 1)]
    R = AssessmentRecord
    stmt = (select(R.user_id, func.avg(R.score), func.avg(R.quality), func.avg(R.efficiency), func.avg(R.effect),
                   func.sum(R.closed), func.sum(R.member_closed), func.count())
            .where(R.period_kind == "month", R.period.in_(labels), R.court_id.in_(court_ids)).group_by(R.user_id))
    means = {r[0]: r[1:] for r in session.execute(stmt).all()}
    last = {r.user_id: r for r in session.execute(select(
        R.user_id, R.court_id, R.division_id, R.credits, R.quantity, R.target, R.met).where(
        R.period_kind == "month", R.period == month.label, R.court_id.in_(court_ids))).all()}
    streaks = previous_streaks(session, period.previous(), "year") if period.kind == "year" else {}
    rows = []
    for user_id, end in last.items():
        score, quality, efficiency, effect, closed, member_closed, months = means[user_id]
        score = round(float(score), 2)
        row = dict(user_id=user_id, court_id=end.court_id, division_id=end.division_id, period_kind=period.kind,
                   period=period.label, start=period.start, end=period.end, closed=int(closed),
                   member_closed=int(member_closed), credits=end.credits, quantity=end.quantity, target=end.target,
                   met=end.met, missed_streak=0, quality=_round(quality), efficiency=_round(efficiency),
                   effect=_round(effect), score=score, grade=None, detail={"months_assessed": int(months)},
                   created_at=None)
        if period.kind == "year":
            row["missed_streak"] = 0 if end.met else streaks.get(user_id, 0) + 1
            row["grade"] = annual_grade(pol, score, end.met)
            row["detail"]["grade_label"] = i18n.label("grade", row["grade"], i18n.DEFAULT)
        rows.append(row)
    return rows


def _round(value):
    return None if value is None else round(float(value), 2)


def assess_month(session, month: Period, as_of: date, now: datetime) -> dict:
    """Records for `month` and the periods ending with it, then the ladder; returns what was added."""
    from services.assessment.dossier import file_records
    from services.assessment.ladder import climb

    added = defaultdict(int)
    for pol, court_ids in policy_groups(session):
        for period in periods_ending_with(month):
            rows = (month_rows(session, pol, court_ids, month) if period.kind == "month"
                    else evaluation_rows(session, pol, court_ids, period, month))
            for row in rows:
                row["created_at"] = now
            added[period.kind] += insert_records(session, rows)
        for name, n in climb(session, pol, court_ids, month, as_of, now).items():
            added[name] += n
    added["dossier"] = file_records(session, month, now)
    record(session, Actor.system(), "assessment.month", at=now, why=f"月考核 {month.label}",
           after={"month": month.label, **added})
    return dict(added)


def run_monthly_assessment(db, as_of: date, now: datetime) -> dict:
    """Assess every month due by `as_of`, each in its own transaction; a second run adds nothing."""
    with db.read() as session:
        months = months_to_assess(session, as_of)
    results = {}
    for month in months:
        with db.write() as session:
            results[month.label] = assess_month(session, month, as_of, now)
    return {"as_of": as_of.isoformat(), "months": results}
