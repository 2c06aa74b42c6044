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
from store.models import Case, PanelMember, User


def case_weight(policy: AssessmentPolicy):
    """案件权重系数 of a case's procedure, in SQL."""
    if not policy.case_weights:
        return func.coalesce(None, policy.default_case_weight)
    return when(*((Case.procedure == p, w) for p, w in policy.case_weights.items()), else_=policy.default_case_weight)


def _sum(condition, value=1):
    return func.sum(when((condition, value), else_=0))


def assessed_people(session, court_ids: list[int]) -> list[tuple[int, int, int | None]]:
    """(user, court, division) of the active quota judges in these courts."""
    stmt = (select(User.id, User.court_id, User.division_id)
            .where(User.is_quota_judge.is_(True), User.active.is_(True), User.court_id.in_(court_ids)))
    return [tuple(r) for r in session.execute(stmt).all()]


def lead_figures(session, policy: AssessmentPolicy, indicators: IndicatorPolicy, month: Period,
                 court_ids: list[int]) -> dict[int, dict]:
    year_start, end = date(month.year, 1, 1), month.end
    w = case_weight(policy)
    closed_ytd = Case.closed_on.between(year_start, end)
    closed_month = Case.closed_on.between(month.start, end)
    stmt = (select(Case.lead_judge_id,
                   func.sum(w).label("caseload"),
                   _sum(closed_ytd, w).label("closed_weighted"),
                   _sum(closed_ytd).label("closed_ytd"),
                   _sum(closed_month).label("closed"),
                   _sum(and_(closed_month, or_(Case.deadline.is_(None), Case.closed_on <= Case.deadline))).label("within"),
                   _sum(and_(closed_month, Case.procedure.in_(indicators.first_instance_procedures))).label("first"))
            .where(Case.lead_judge_id.is_not(None), Case.court_id.in_(court_ids), Case.filed_on <= end,
                   or_(Case.closed_on.is_(None), Case.closed_on >= year_start))
            .group_by(Case.lead_judge_id))
    return {r["lead_judge_id"]: dict(r) for r in session.execute(stmt).mappings()}


def member_figures(session, policy: AssessmentPolicy, month: Period, court_ids: list[int]) -> dict[int, dict]:
    """Closures on panels where the person sat but was not the lead judge."""
    year_start, end = date(month.year, 1, 1), month.end
    stmt = (select(PanelMember.user_id, func.sum(case_weight(policy)).label("weighted"),
                   _sum(Case.closed_on >= month.start).label("closed"))
            .join(Case, Case.id == PanelMember.case_id)
            .where(PanelMember.role != "lead", PanelMember.user_id != func.coalesce(Case.lead_judge_id, 0),
                   Case.court_id.in_(court_ids), Case.closed_on.between(year_start, end))
            .group_by(PanelMember.user_id))
    return {r["user_id"]: dict(r) for r in session.execute(stmt).mappings()}


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
