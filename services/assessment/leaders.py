"""院庭长办案常态化 (SPEC §5): each president's, vice president's and division chief's own caseload,
tracked monthly against their policy share of the judges' average.

A person's workload is the year's weighted closures to the month's end, as lead judge and (by the
member coefficient) as another panel member: the same figures as the judges' monthly records. The
average is taken over the court's quota judges who hold no leader role, or (`basis: category`) over
those of the leader's division category; a president or vice president without a division is
measured on the court's average. One row per leader and month (LeaderCaseload), filed in the
leader's dossier.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case as when, literal, select

from policies.assessment import LEADER_ROLES, AssessmentPolicy
from policies.periods import Period
from services.assessment.metrics import lead_figures, member_figures
from services.kernel.policy import policy
from store.bulk import insert_many_ignoring_duplicates, insert_select_ignoring_duplicates, json_object, text_of
from store.models import Division, DossierEntry, LeaderCaseload, RoleGrant, User
from store.recipients import in_force


@dataclass(frozen=True)
class MonthFigures:
    """The month's set-based figures (services/assessment/metrics.py), read once: per lead judge, per
    panel member, and the counts the courts' and divisions' targets need per (court, division)."""
    lead: dict[int, dict]
    member: dict[int, dict]
    units: dict[tuple, dict]

    def workload(self, pol: AssessmentPolicy, user_id: int) -> float:
        return (pol.role_coefficients["lead"] * float(self.lead.get(user_id, {}).get("closed_weighted") or 0)
                + pol.role_coefficients["member"] * float(self.member.get(user_id, {}).get("weighted") or 0))

    def closed(self, user_id: int) -> int:
        return int(self.lead.get(user_id, {}).get("closed_ytd") or 0)


def month_figures(session, pol: AssessmentPolicy, court_ids: list[int], month: Period) -> MonthFigures:
    indicators = policy(session, court_ids[0], "indicators")
    lead, units = lead_figures(session, pol, indicators, month, court_ids, indicators.counts_for(pol.unit_targets.indicators))
    return MonthFigures(lead, member_figures(session, pol, month, court_ids), units)


def leaders(session, court_ids: list[int], on: date) -> dict[int, tuple[int, int | None, str]]:
    """{leader: (court, division, highest leader role)} of the active leaders of these courts by the grants in
    force on `on` (a month's: its last day)."""
    stmt = (select(RoleGrant.user_id, RoleGrant.court_id, RoleGrant.division_id, RoleGrant.role)
            .join(User, User.id == RoleGrant.user_id)
            .where(RoleGrant.role.in_(LEADER_ROLES), RoleGrant.court_id.in_(court_ids), User.active.is_(True),
                   User.court_id == RoleGrant.court_id, in_force(on)))
    found: dict[int, tuple[int, int | None, str]] = {}
    for user_id, court_id, division_id, role in session.execute(stmt).all():
        if user_id not in found or LEADER_ROLES.index(role) < LEADER_ROLES.index(found[user_id][2]):
            found[user_id] = (court_id, division_id, role)
    return found


def averages(session, pol: AssessmentPolicy, figures: MonthFigures, court_ids: list[int],
             leader_ids: set[int]) -> tuple[dict[int, float], dict[tuple[int, str], float]]:
    """The mean workload of the judges who lead nothing, per court and per (court, division category)."""
    stmt = (select(User.id, User.court_id, Division.category).outerjoin(Division, Division.id == User.division_id)
            .where(User.is_quota_judge.is_(True), User.active.is_(True), User.court_id.in_(court_ids)))
    by_court, by_category = defaultdict(list), defaultdict(list)
    for user_id, court_id, category in session.execute(stmt).all():
        if user_id in leader_ids:
            continue
        load = figures.workload(pol, user_id)
        by_court[court_id].append(load)
        by_category[(court_id, category)].append(load)
    mean = lambda loads: sum(loads) / len(loads)  # noqa: E731
    return ({c: mean(v) for c, v in by_court.items()}, {k: mean(v) for k, v in by_category.items()})


def record_leader_caseloads(session, pol: AssessmentPolicy, court_ids: list[int], month: Period,
                            figures: MonthFigures, now: datetime) -> int:
    found = leaders(session, court_ids, month.end)
    if not found:
        return 0
    court_avg, category_avg = averages(session, pol, figures, court_ids, set(found))
    categories = dict(session.execute(select(Division.id, Division.category).where(
        Division.id.in_({d for _, d, _ in found.values() if d is not None}))).all())
    rows, shares = [], pol.leader_caseloads.shares
    for user_id, (court_id, division_id, role) in sorted(found.items()):
        if role not in shares:
            continue
        category = categories.get(division_id) if pol.leader_caseloads.basis == "category" else None
        average = category_avg.get((court_id, category)) if category else None
        basis = category if average is not None else "court"
        average = average if average is not None else court_avg.get(court_id, 0.0)
        required, own = round(shares[role] * average, 4), round(figures.workload(pol, user_id), 4)
        rows.append(dict(user_id=user_id, court_id=court_id, division_id=division_id, role=role, period=month.label,
                         share=shares[role], basis=basis, average=round(average, 4), required=required, own=own,
                         closed=figures.closed(user_id), met=own + 1e-9 >= required, created_at=now))
    return insert_many_ignoring_duplicates(session, LeaderCaseload, rows, ["user_id", "period"])


def file_leader_caseloads(session, month: Period, now: datetime) -> int:
    """Each leader's month in their dossier, in one INSERT … SELECT."""
    L = LeaderCaseload
    met = when((L.met.is_(True), literal("：达到办案要求")), else_=literal("：低于办案要求"))
    title = literal(f"{month.label} 院庭长办案") + met
    detail = json_object(session, period=L.period, role=L.role, share=L.share, basis=L.basis, average=L.average,
                         required=L.required, own=L.own, met=L.met)
    key = literal(f"leader_caseload:{month.label}:") + text_of(L.user_id)
    stmt = select(L.user_id, literal(month.end.year), literal(month.end), literal("leader_caseload"), title,
                  literal("leader_caseloads"), L.id, detail, key, literal(now)).where(L.period == month.label)
    columns = ["user_id", "year", "on", "kind", "title", "ref_kind", "ref_id", "detail", "dedupe_key", "created_at"]
    return insert_select_ignoring_duplicates(session, DossierEntry, columns, stmt, ["dedupe_key"])
