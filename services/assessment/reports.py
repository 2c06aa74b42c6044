"""周通报 and the quarterly report (SPEC §5, §8): one document per court, stored and announced to
the court's trial office; a court's report for a period is made once.

The figures come from one GROUP BY per report over all courts; Python runs over the groups.
"""
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case as when, func, or_, select

from policies.deadline import add_months
from policies.indicators import INDICATORS
from policies.periods import Period
from services.kernel.actor import Actor
from services.kernel.clock import local_date
from services.assessment.commitments import check_week, week_of
from services.kernel.documents import render_document
from services.assessment.indicators import indicator_report
from services.kernel.policy import policy
from services.kernel.record import record
from store.bulk import insert_ignoring_duplicates
from store.jsonable import jsonable
from store.models import (AssessmentRecord, Case, Court, Division, LadderStep, Notice, Report, RoleGrant, User,
                          WeeklyCommitment)
from store.recipients import in_force


def _count(condition):
    return func.sum(when((condition, 1), else_=0))


def week_rows(session, start: date, end: date) -> dict[int, list[dict]]:
    """Per court, per division: received, closed (within the limit), pending, overdue and long-pending at week's end."""
    closed = Case.closed_on.between(start, end)
    pending = and_(Case.filed_on <= end, or_(Case.closed_on.is_(None), Case.closed_on > end))
    stmt = (select(Case.court_id, Case.division_id, func.coalesce(Division.name, "（未分庭）"),
                   _count(Case.filed_on.between(start, end)), _count(closed),
                   _count(and_(closed, or_(Case.deadline.is_(None), Case.closed_on <= Case.deadline))),
                   _count(pending), _count(and_(pending, Case.deadline < end, Case.clock_stopped.is_(False))),
                   _count(and_(pending, Case.filed_on <= add_months(end, -12))))
            .outerjoin(Division, Division.id == Case.division_id)
            .where(Case.filed_on <= end, or_(Case.closed_on.is_(None), Case.closed_on >= start))
            .group_by(Case.court_id, Case.division_id, Division.name).order_by(Case.court_id, Case.division_id))
    found = defaultdict(list)
    for court_id, division_id, name, *n in session.execute(stmt).all():
        found[court_id].append(dict(zip(("name", "received", "closed", "closed_within", "pending", "overdue",
                                         "long_pending"), (name, *(int(x or 0) for x in n)))))
    return found


def commitment_rows(session, week_start: date) -> dict[int, list[dict]]:
    stmt = (select(WeeklyCommitment, User.display_name).join(User, User.id == WeeklyCommitment.user_id)
            .where(WeeklyCommitment.week_start == week_start).order_by(WeeklyCommitment.court_id, User.display_name))
    found = defaultdict(list)
    for c, name in session.execute(stmt).all():
        found[c.court_id].append({"name": name, "promised": c.promised, "closed": c.closed, "shortfall": c.shortfall})
    return found


def store_reports(session, kind: str, period: str, docs: list[tuple[Court, str, str, dict]], now: datetime) -> int:
    """Insert each court's document once; tell the court's trial office (the active holders on the day of `now`)
    about the new ones."""
    rows = [dict(kind=kind, court_id=c.id, period=period, title=title, html=html, data=jsonable(data), created_at=now)
            for c, title, html, data in docs]
    added = 0
    for i in range(0, len(rows), 200):
        added += insert_ignoring_duplicates(session, Report, rows[i:i + 200], ["kind", "court_id", "period"])
    ids = dict(session.execute(select(Report.court_id, Report.id).where(Report.kind == kind, Report.period == period)).all())
    office = session.execute(select(RoleGrant.court_id, RoleGrant.user_id).join(User, User.id == RoleGrant.user_id)
                             .where(RoleGrant.role == "trial_office", RoleGrant.court_id.in_(list(ids)),
                                    User.active.is_(True), in_force(local_date(now)))).all()
    titles = {c.id: title for c, title, _, _ in docs}
    notices = [dict(dedupe_key=f"report:{ids[c]}:u{u}", kind="report_published", recipient_user_id=u, court_id=c,
                    subject_kind="report", subject_id=ids[c],
                    context={"title": titles[c], "period": period, "url": f"/reports/{ids[c]}"}, state="pending",
                    attempts=0, next_attempt_at=now, created_at=now, last_error="") for c, u in office if c in titles]
    insert_ignoring_duplicates(session, Notice, notices, ["dedupe_key"])
    return added


def weekly_notice(session, as_of: date, now: datetime) -> dict:
    """The last whole week (Monday–Sunday) before `as_of`: its commitments checked, one notice per court."""
    start = week_of(as_of) - timedelta(days=7)
    end = start + timedelta(days=6)
    shortfalls = check_week(session, start, now)
    rows, commitments = week_rows(session, start, end), commitment_rows(session, start)
    label = f"{start.isocalendar().year}-W{start.isocalendar().week:02d}"
    docs = []
    for court in session.execute(select(Court).order_by(Court.id)).scalars():
        title = f"{court.name} {start.isocalendar().year}年第{start.isocalendar().week}周 审判质效周通报"
        data = {"rows": rows.get(court.id, []), "commitments": commitments.get(court.id, [])}
        docs.append((court, title, render_document("weekly_notice.html", title=title, court=court.name, start=start,
                                                   end=end, **data), data))
    added = store_reports(session, "weekly_notice", label, docs, now)
    record(session, Actor.system(), "report.weekly_notice", at=now, why=f"周通报 {label}",
           after={"week": label, "reports": added, "shortfalls": shortfalls})
    return {"week": label, "reports": added, "shortfalls": shortfalls}


def _evaluation_summary(session, quarter: Period) -> dict[int, dict]:
    R = AssessmentRecord
    stmt = (select(R.court_id, func.count(), _count(R.met.is_(True)), func.avg(R.score))
            .where(R.period_kind == "quarter", R.period == quarter.label).group_by(R.court_id))
    steps = dict(session.execute(select(LadderStep.court_id, func.count()).where(
        LadderStep.opened_on.between(quarter.start, quarter.end + timedelta(days=31))).group_by(LadderStep.court_id)).all())
    return {c: {"people": n, "met": int(met or 0), "missed": n - int(met or 0),
                "mean_score": round(float(mean), 2) if mean is not None else None, "steps": steps.get(c, 0)}
            for c, n, met, mean in session.execute(stmt).all()}


def quarterly_report(session, as_of: date, now: datetime) -> dict:
    """The last whole quarter before `as_of`: indicators per court and division, the quarter's evaluations."""
    quarter = Period("quarter", as_of.year, (as_of.month - 1) // 3 + 1).previous()
    courts = list(session.execute(select(Court).order_by(Court.id)).scalars())
    report = indicator_report(session, quarter, policy(session, courts[0].id, "indicators"), levels=("court", "division"))
    by_court = defaultdict(list)
    for unit in report["units"]:
        by_court[unit["court_id"]].append(unit)
    evaluations = _evaluation_summary(session, quarter)
    docs = []
    for court in courts:
        title = f"{court.name} {quarter.year}年第{quarter.n}季度 审判质效及绩效考核报告"
        units = by_court.get(court.id, [])
        evaluation = evaluations.get(court.id, {"people": 0, "met": 0, "missed": 0, "mean_score": None, "steps": 0})
        html = render_document("quarterly_report.html", title=title, court=court.name, period=quarter.label,
                               previous=report["previous"], last_year=report["last_year"], units=units,
                               indicators=INDICATORS, evaluation=evaluation)
        docs.append((court, title, html, {"units": units, "evaluation": evaluation}))
    added = store_reports(session, "quarterly_report", quarter.label, docs, now)
    record(session, Actor.system(), "report.quarterly", at=now, why=f"季度报告 {quarter.label}",
           after={"quarter": quarter.label, "reports": added})
    return {"quarter": quarter.label, "reports": added}
