"""The generic ladder engine (SPEC §5): reads the ladders in force as data and opens their steps.

For each judge the engine hands the newest assessment records (months, or years after a
December) to the pure `policies.ladder.due`; each due step becomes a LadderStep row keyed
`ladder:<ladder>:<step>:<judge>:<period>`, with its first task, a notice and a dossier
record, all inserted ON CONFLICT DO NOTHING. A mandatory exit is opened at once through the
quota-exit work (docs/contracts.md, C2). A judge who meets the task has a streak of 0: nothing is
due, the climb stops, and an observation period in progress is passed.
"""
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select

from policies.assessment import AssessmentPolicy
from policies.errors import PolicyError
from policies.ladder import Facts, Ladder, Step, due
from policies.periods import Period
from services.assessment.ladder_effects import file_steps, first_tasks, notify_opened, open_exits, settle_observations
from services.kernel.policy import calendar, policy
from store.bulk import insert_many_returning_new
from store.models import AssessmentRecord, LadderStep

YEARS_OF_HISTORY = 5
CHUNK = 1000


def ladders_in_force(session, pol: AssessmentPolicy, court_id: int) -> list[tuple[str, Ladder]]:
    found = []
    for name in pol.ladders:
        try:
            found.append((name, policy(session, court_id, f"ladder_{name}")))
        except PolicyError as exc:
            raise PolicyError(f"assessment.ladders names {name!r}: {exc}") from exc
    return found


def history(session, kind: str, periods: list[Period], court_ids: list[int]) -> dict[int, list[Facts]]:
    """Each person's records of these periods, newest first, stopping at the first gap."""
    R = AssessmentRecord
    rows = session.execute(select(R.user_id, R.period, R.met, R.missed_streak, R.quantity, R.target, R.grade).where(
        R.period_kind == kind, R.period.in_([p.label for p in periods]), R.court_id.in_(court_ids),
        R.scheme == "judge")).all()  # staff records climb no ladder
    by_user: dict[int, dict[str, Facts]] = defaultdict(dict)
    for user_id, period, met, streak, quantity, target, grade in rows:
        by_user[user_id][period] = Facts(period=period, met=met, missed_streak=streak, quantity=quantity,
                                         target=target, grade=grade)
    found = {}
    for user_id, facts in by_user.items():
        chain = []
        for p in periods:
            if p.label not in facts:
                break
            chain.append(facts[p.label])
        found[user_id] = chain
    return found


def _recent(period: Period, n: int) -> list[Period]:
    found = [period]
    while len(found) < n:
        found.append(found[-1].previous())
    return found


def due_steps(ladders, month: Period, months: dict, years: dict) -> list[tuple[str, Step, int, str]]:
    """(ladder, step, judge, period) for every step whose condition starts (or repeats) now."""
    year_label = str(month.year)
    found = []
    for name, ladder in ladders:
        for step in ladder.steps:
            yearly = step.when.period_kind == "year"
            if yearly and month.n != 12:
                continue
            label = year_label if yearly else month.label
            for user_id, facts in (years if yearly else months).items():
                if facts and facts[0].period == label and due(step, facts):
                    found.append((name, step, user_id, label))
    return found


def climb(session, pol: AssessmentPolicy, court_ids: list[int], month: Period, as_of: date, now: datetime) -> dict:
    ladders = ladders_in_force(session, pol, court_ids[0])
    months = history(session, "month", _recent(month, 2), court_ids)
    years = history(session, "year", _recent(Period("year", month.year, 1), YEARS_OF_HISTORY), court_ids) \
        if month.n == 12 else {}
    found = due_steps(ladders, month, months, years)
    steps = open_steps(session, found, month, as_of, now)
    recovered = [u for u, facts in months.items() if facts and facts[0].period == month.label and facts[0].met]
    return {"ladder_steps": len(steps), "tasks": first_tasks(session, steps, now),
            "ladder_notices": notify_opened(session, steps, now), "dossier_steps": file_steps(session, steps, now),
            "exits": open_exits(session, steps, now),
            "observations_settled": settle_observations(session, recovered, steps, now)}


def open_steps(session, found, month: Period, as_of: date, now: datetime) -> list[LadderStep]:
    """Insert the due steps (once each by key) and return the rows newly opened now."""
    if not found:
        return []
    R = AssessmentRecord
    users = {u for _, _, u, _ in found}
    place = {u: (c, d) for u, c, d in session.execute(select(R.user_id, R.court_id, R.division_id).where(
        R.period_kind == "month", R.period == month.label, R.user_id.in_(users))).all()}
    due_dates: dict[tuple[int, int], date] = {}
    rows = []
    for name, step, user_id, label in found:
        court_id, division_id = place[user_id]
        key = (court_id, step.action.due_working_days)
        if key not in due_dates:
            due_dates[key] = calendar(session, court_id).add_working_days(as_of, step.action.due_working_days).date
        rows.append(dict(user_id=user_id, court_id=court_id, division_id=division_id, ladder=name, step=step.key,
                         action=step.action.kind, label=step.label, period=label, opened_on=as_of,
                         due_on=due_dates[key], state="open", dedupe_key=f"ladder:{name}:{step.key}:{user_id}:{label}",
                         explanation="", measures="", scheduled_for=None, place="", minutes="", outcome="",
                         review_note="", exit_proceeding_id=None, created_at=now, version=1))
    new_keys = insert_many_returning_new(session, LadderStep, rows, "dedupe_key")
    return [s for i in range(0, len(new_keys), CHUNK) for s in session.execute(
        select(LadderStep).where(LadderStep.dedupe_key.in_(new_keys[i:i + CHUNK]))).scalars()]
