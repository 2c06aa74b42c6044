"""The per-judge figures of a month's assessment, each one GROUP BY over the cases.

Year to date (from 1 January to the month's end): the weighted caseload (carried over at
the start of the year + received), the weighted closures as lead judge and as another
panel member. For the month itself: closures, those within the statutory limit, and the
first-instance closures and appeals against them (the effect dimension).
"""
from datetime import date

from sqlalchemy import and_, case as when, func, or_, select

from policies.assessment import AssessmentPolicy
from policies.indicators import IndicatorPolicy
from policies.periods import Period
from services.assessment.indicator_counts import period_columns, unindexed_keys
from store.models import Case, PanelMember, User


def _sum(condition, value=1):
    return func.sum(when((condition, value), else_=0))


def assessed_people(session, court_ids: list[int]) -> list[tuple[int, int, int | None]]:
    """(user, court, division) of the active quota judges in these courts."""
    stmt = (select(User.id, User.court_id, User.division_id)
            .where(User.is_quota_judge.is_(True), User.active.is_(True), User.court_id.in_(court_ids)))
    return [tuple(r) for r in session.execute(stmt).all()]


def lead_figures(session, policy: AssessmentPolicy, indicators: IndicatorPolicy, month: Period,
                 court_ids: list[int], unit_counts: tuple[str, ...] = ()) -> tuple[dict[int, dict], dict[tuple, dict]]:
    """Per lead judge: weighted caseload and closures for the year to date, the month's closures; and,
    from the same pass over the cases, the month's `unit_counts` (services/assessment/indicator_counts.py)
    per (court, division) for the courts' and divisions' targets."""
    year_start, end = date(month.year, 1, 1), month.end
    closed_month = Case.closed_on.between(month.start, end)
    keys = unindexed_keys()  # no index matches: one pass over the table
    stmt = (select(*keys, Case.procedure, func.count().label("caseload"),
                   _sum(Case.closed_on.between(year_start, end)).label("closed_ytd"),
                   _sum(closed_month).label("closed"),
                   _sum(and_(closed_month, or_(Case.deadline.is_(None), Case.closed_on <= Case.deadline))).label("within"),
                   *period_columns(session, indicators, month, "unit", unit_counts))
            .where(Case.court_id.in_(court_ids), Case.filed_on <= end,
                   func.coalesce(Case.closed_on, date.max) >= year_start)  # a superset of the month's cases
            .group_by(*keys, Case.procedure))
    first_instance = set(indicators.first_instance_procedures)
    found: dict[int, dict] = {}
    units: dict[tuple, dict] = {}
    for r in session.execute(stmt).mappings():
        counts = units.setdefault((r["court_id"], r["division_id"]), dict.fromkeys(unit_counts, 0))
        for name in unit_counts:
            counts[name] += int(r[f"unit__{name}"] or 0)
        if r["lead_judge_id"] is None:
            continue
        w = policy.case_weight(r["procedure"])
        f = found.setdefault(r["lead_judge_id"], dict.fromkeys(("caseload", "closed_weighted", "closed_ytd", "closed",
                                                                 "within", "first"), 0))
        f["caseload"] += w * r["caseload"]
        f["closed_weighted"] += w * r["closed_ytd"]
        for name in ("closed_ytd", "closed", "within"):
            f[name] += r[name]
        f["first"] += r["closed"] if r["procedure"] in first_instance else 0
    return found, units


def member_figures(session, policy: AssessmentPolicy, month: Period, court_ids: list[int]) -> dict[int, dict]:
    """Closures on panels where the person sat as a judge but not the lead judge (weighted, year to date); a
    people's assessor's seat is no quota judge's work and is not credited."""
    year_start, end = date(month.year, 1, 1), month.end
    closed_on = func.coalesce(Case.closed_on, date.max)  # start from the panels, not from the cases closed
    stmt = (select(PanelMember.user_id, Case.procedure, func.count().label("closed_ytd"),
                   _sum(closed_on >= month.start).label("closed"))
            .select_from(PanelMember).join(Case, Case.id == PanelMember.case_id)
            .where(PanelMember.role == "member", PanelMember.user_id != func.coalesce(Case.lead_judge_id, 0),
                   Case.court_id.in_(court_ids), closed_on.between(year_start, end))
            .group_by(PanelMember.user_id, Case.procedure))
    found: dict[int, dict] = {}
    for user_id, procedure, closed_ytd, closed in session.execute(stmt).all():
        f = found.setdefault(user_id, {"weighted": 0.0, "closed": 0})
        f["weighted"] += policy.case_weight(procedure) * closed_ytd
        f["closed"] += closed
    return found


def appeals_against(session, indicators: IndicatorPolicy, month: Period, court_ids: list[int]) -> dict[int, int]:
    """Appeals received in the month against each judge's first-instance cases."""
    original, appeal = Case.__table__.alias("original"), Case.__table__.alias("appeal")
    stmt = (select(original.c.lead_judge_id, func.count())
            .select_from(appeal.join(original, original.c.id == appeal.c.related_to_id))
            .where(appeal.c.procedure.in_(indicators.appeal_procedures), appeal.c.filed_on.between(month.start, month.end),
                   original.c.procedure.in_(indicators.first_instance_procedures),
                   original.c.court_id.in_(court_ids), original.c.lead_judge_id.is_not(None))
            .group_by(original.c.lead_judge_id))
    return dict(session.execute(stmt).all())
