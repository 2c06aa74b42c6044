"""全员考核: assistants, clerks and (by policy) administrative staff, assessed monthly on their role's
scheme (policies/defaults/assessment.yaml `staff`), with the same records, evaluations, grades and
dossier as judges and no ladder.

A person's own score comes from the month's recorded work, counted per person in a few GROUP BY
statements: procedural steps they recorded (ProceduralEvent.actor_id), cases they archived (the
trace), inbox tasks they did and those done after their due date, and the process nodes (case_node)
they were responsible for that were done after their planned day. It is combined by the scheme's
weights with the team's result (the mean score of the judges of their team, or of their division
when they have no team) and the judge's evaluation of their assistant.
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import case as when, func, select, union

from policies.assessment import AssessmentPolicy, StaffScheme
from policies.periods import Period
from services.assessment.indicator_counts import DROPPED
from services.kernel.clock import COURT_TZ
from store.models import CaseNode, ProceduralEvent, RoleGrant, Task, TraceEntry, User
from store.recipients import in_force

STEP_SOURCES = {"served": "served", "hearings": "hearing_held"}
ARCHIVE_ACTION = "cases.archive"


def staff_people(session, schemes: dict[str, StaffScheme], court_ids: list[int], on: date) -> list[tuple]:
    """(user, court, division, team, scheme) of the active staff who are not quota judges, by the grants in force
    on `on` (a month's: its last day); a person holding roles of several schemes is assessed on the first scheme
    listed."""
    if not schemes:
        return []
    roles = {role: name for name, scheme in reversed(list(schemes.items())) for role in scheme.roles}
    stmt = (select(User.id, User.court_id, User.division_id, User.team_id, RoleGrant.role)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(User.is_quota_judge.is_(False), User.active.is_(True), User.court_id.in_(court_ids),
                   RoleGrant.role.in_(list(roles)), in_force(on)))
    order = list(schemes)
    found: dict[int, tuple] = {}
    for user_id, court_id, division_id, team_id, role in session.execute(stmt).all():
        scheme = roles[role]
        if user_id not in found or order.index(scheme) < order.index(found[user_id][4]):
            found[user_id] = (user_id, court_id, division_id, team_id, scheme)
    return sorted(found.values())


def _utc_bounds(month: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(month.start, time(0), tzinfo=COURT_TZ)
    return start, datetime.combine(month.end + timedelta(days=1), time(0), tzinfo=COURT_TZ)


def recorded_work(session, month: Period) -> dict[int, dict[str, int]]:
    """{person: {source: count}} for the month: steps, services, hearings, archives, tasks done and late,
    nodes done late."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    E = ProceduralEvent
    steps = (select(E.actor_id, func.count(), *[func.sum(when((E.kind == kind, 1), else_=0))
                                               for kind in STEP_SOURCES.values()])
             .where(E.on.between(month.start, month.end), E.actor_id.is_not(None)).group_by(E.actor_id))
    for actor_id, total, *by_kind in session.execute(steps).all():
        counts[actor_id]["steps"] = total
        for source, n in zip(STEP_SOURCES, by_kind):
            counts[actor_id][source] = int(n or 0)
    start, end = _utc_bounds(month)
    archived = (select(TraceEntry.actor_id, func.count())
                .where(TraceEntry.action == ARCHIVE_ACTION, TraceEntry.at >= start, TraceEntry.at < end,
                       TraceEntry.actor_id.is_not(None)).group_by(TraceEntry.actor_id))
    for actor_id, n in session.execute(archived).all():
        counts[actor_id]["archived"] = n
    late = _local_day(session, Task.done_at, start) > Task.due_on
    tasks = (select(Task.done_by, func.count(), func.sum(when((late, 1), else_=0)))
             .where(Task.state == "done", Task.done_at >= start, Task.done_at < end, Task.done_by.is_not(None))
             .group_by(Task.done_by))
    for user_id, done, n_late in session.execute(tasks).all():
        counts[user_id]["tasks_done"], counts[user_id]["tasks_late"] = done, int(n_late or 0)
    for user_id, n in session.execute(_nodes_late(month)).all():
        counts[user_id]["nodes_late"] = n
    return counts


def _nodes_late(month: Period):
    """Per person, the nodes done in the month after their planned day that they were responsible for: whoever
    held the node's task by name (the lead judge, or the clerk or assistant it was handed to) and whoever recorded
    it done; a node counts once per person. A node dropped when its case ended was not done."""
    N = CaseNode
    late = (N.done_on.between(month.start, month.end), N.done_on > N.planned_on, N.note != DROPPED)
    responsible = union(
        select(N.id.label("node_id"), N.recorded_by.label("user_id")).where(*late, N.recorded_by.is_not(None)),
        select(N.id, Task.assignee_user_id).join(Task, Task.id == N.task_id)
        .where(*late, Task.assignee_user_id.is_not(None))).subquery()
    return select(responsible.c.user_id, func.count()).group_by(responsible.c.user_id)


def _local_day(session, column, moment: datetime):
    """The court-local calendar day of a stored UTC moment, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(COURT_TZ.key, column))
    hours = moment.utcoffset().total_seconds() / 3600
    return func.date(column, f"{hours:+g} hours")


def team_results(session, judge_rows: list[dict], court_ids: list[int]) -> tuple[dict[int, float], dict[int, float]]:
    """The mean month score of the judges, per team and per division."""
    teams = dict(session.execute(select(User.id, User.team_id).where(
        User.is_quota_judge.is_(True), User.court_id.in_(court_ids), User.team_id.is_not(None))).all())
    by_team, by_division = defaultdict(list), defaultdict(list)
    for row in judge_rows:
        if teams.get(row["user_id"]) is not None:
            by_team[teams[row["user_id"]]].append(row["score"])
        if row["division_id"] is not None:
            by_division[row["division_id"]].append(row["score"])
    mean = lambda scores: round(sum(scores) / len(scores), 2)  # noqa: E731
    return {t: mean(s) for t, s in by_team.items()}, {d: mean(s) for d, s in by_division.items()}


def staff_month_rows(session, pol: AssessmentPolicy, court_ids: list[int], month: Period, judge_rows: list[dict],
                     qualitative) -> list[dict]:
    """One monthly record per assessed staff member; `qualitative` gives evaluations and items."""
    schemes = pol.staff_schemes()
    people = staff_people(session, schemes, court_ids, month.end)
    if not people:
        return []
    work = recorded_work(session, month)
    by_team, by_division = team_results(session, judge_rows, court_ids)
    rows = []
    for user_id, court_id, division_id, team_id, name in people:
        scheme, counts = schemes[name], work.get(user_id, {})
        own = scheme.own_score(counts)
        team = by_team.get(team_id) if team_id is not None else None
        team = team if team is not None else by_division.get(division_id)
        judge_eval = qualitative.evaluation(user_id, "judge_of_assistant")
        base = scheme.combined({"own": own, "team": team, "judge_evaluation": judge_eval})
        score, extra = qualitative.apply(pol, user_id, base)
        rows.append(dict(
            user_id=user_id, court_id=court_id, division_id=division_id, scheme=name, period_kind="month",
            period=month.label, start=month.start, end=month.end, closed=0, member_closed=0, credits=0,
            quantity=own, target=scheme.pass_score, met=score + 1e-9 >= scheme.pass_score, missed_streak=0,
            quality=None, efficiency=None, effect=None, score=score, grade=None,
            detail={"work": {s: int(counts.get(s, 0)) for s in sorted({i.source for i in scheme.indicators.values()})},
                    "own": own, "team": team, "judge_evaluation": judge_eval, "base": base, **extra},
            created_at=None))
    return rows
