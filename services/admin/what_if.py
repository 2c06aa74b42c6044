"""What-if: what a proposed override would have changed over the court's last N months, before it is saved.

The sandbox is a read-only session and pure functions: each lifecycle's rules are replayed over the
history the court already has, once with the policy in force and once with the proposed one, and only
the differences are shown. Nothing is written and no notice is queued (the rows the replay would have
written are counted, never inserted). For a higher court the proposed override reaches every court of
its subtree that does not override the same keys itself, so each of those courts is replayed.

For a policy a division may override (`division_scope`), each court is replayed by place, as the daily monitor
sweeps it: its cases outside the divisions with their own override under the court's policy, each such
division's under its own. A division's override is replayed over that division's cases only.

What is replayed, per policy:
- monitoring: deadline warnings (each threshold a running case's deadline crossed while it was pending)
  and long-pending escalations (each grade a pending case reached), per lead judge; replayed against the
  cases' deadlines as they stand, so a deadline moved by an extension counts at its new date;
- assessment: each judge's monthly target, whether it was met, and the ladder steps a missed streak opens;
- quality_review: the routine samples, re-drawn from each month's stored population and seed;
- petitions: each petition's answer due date.
Any other policy has no replay yet: the what-if says so instead of showing nothing.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from policies.deadline import add_months
from policies.errors import PolicyError
from policies.ladder import Facts, due
from policies.periods import Period, month_before
from policies.quality_review import draw_sample
from services.admin.overrides import propose
from services.assessment.ladder import ladders_in_force
from services.assessment.monthly import month_rows
from services.kernel.actor import Actor
from services.kernel.errors import Invalid
from services.kernel.policy import Scope, calendar, division_scoped, policy, policy_if, policy_on
from store.models import AssessmentRecord, Case, Court, Petition, PolicyOverride, ReviewDraw, User
from store.models.case import CLOSED_STATES

REPLAYED = ("monitoring", "assessment", "quality_review", "petitions")


@dataclass
class Row:
    """One line of a what-if table: what it counts (a judge, a petition…), before and after."""
    label: str
    before: object
    after: object


@dataclass
class Section:
    """One kind of outcome: totals, what was added and removed, and the rows that differ."""
    title: str
    before: int = 0
    after: int = 0
    added: int = 0
    removed: int = 0
    rows: list[Row] = field(default_factory=list)


@dataclass
class CourtWhatIf:
    court_code: str
    court_name: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class WhatIf:
    name: str
    court_code: str
    start: date
    end: date
    changes: list
    courts: list[CourtWhatIf] = field(default_factory=list)
    replayed: bool = True
    division: str = ""  # a division's override: its name (replayed over that division's cases)

    @property
    def totals(self) -> list[Section]:
        """The subtree's sections summed by title (a higher court's overview)."""
        sums: dict[str, Section] = {}
        for court in self.courts:
            for s in court.sections:
                t = sums.setdefault(s.title, Section(s.title))
                t.before, t.after, t.added, t.removed = (t.before + s.before, t.after + s.after, t.added + s.added,
                                                         t.removed + s.removed)
        return list(sums.values())


def what_if(session: Session, actor: Actor, court_id: int, name: str, data: dict, *, months: int,
            as_of: date, division_id: int | None = None) -> WhatIf:
    """Replay the last `months` whole months before `as_of` with the proposed override (read-only); for a
    division's override, its diff against the division's policy in force (court < division)."""
    if not 1 <= months <= 36:
        raise Invalid("months", "invalid.admin.months_range")
    proposal = propose(session, actor, court_id, name, data, division_id)
    end = month_before(as_of).end
    start = add_months(end + timedelta(days=1), -months)
    result = WhatIf(name, proposal.court.code, start, end, proposal.changes, replayed=name in REPLAYED,
                    division=proposal.division.name if proposal.division else "")
    if not result.replayed:
        return result
    courts = [proposal.court] if division_id is not None else _subtree(session, proposal.court)
    for court in courts:
        places = _places(session, court, name, proposal.court.id, data, division_id)
        if all(before == after for _, before, after in places) and court.id != proposal.court.id:
            continue
        result.courts.append(CourtWhatIf(court.code, court.name, REPLAYS[name](session, court.id, places, start, end)))
    return result


def _places(session: Session, court: Court, name: str, proposing_court_id: int, data: dict,
            division_id: int | None) -> list[tuple[Scope, object, object]]:
    """(scope, policy in force, proposed policy) of each place of the court the replay covers: the proposing
    division alone; else the court, apart from its divisions with their own override of a division-scoped policy,
    then each of those."""
    if division_id is not None:
        return [(Scope((court.id,), (division_id,)), policy(session, court.id, name, division_id),
                 _proposed(session, court, name, court.id, data, division_id, division_id))]
    own = tuple(session.exec(select(PolicyOverride.division_id).where(
        PolicyOverride.name == name, PolicyOverride.court_id == court.id, PolicyOverride.division_id.is_not(None))
        .order_by(PolicyOverride.division_id)).all()) if division_scoped(name) else ()
    places = [(Scope((court.id,), besides=own), policy(session, court.id, name),
               _proposed(session, court, name, proposing_court_id, data))]
    return places + [(Scope((court.id,), (d,)), policy(session, court.id, name, d),
                      _proposed(session, court, name, proposing_court_id, data, d)) for d in own]


def _proposed(session: Session, court: Court, name: str, proposing_court_id: int, data: dict,
              division_id: int | None = None, proposing_division_id: int | None = None):
    try:
        return policy_if(session, court.id, name, proposing_court_id, data, division_id, proposing_division_id)
    except PolicyError as exc:  # a lower court's (or a division's) own override no longer fits with it
        raise Invalid("data", "invalid.admin.lower_court_policy_error", code=court.code, error=str(exc)) from exc


def _subtree(session: Session, court: Court) -> list[Court]:
    return list(session.exec(select(Court).where(Court.path.startswith(court.path)).order_by(Court.path)).all())


def _names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    rows = session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all() if ids else []
    return dict(rows)


def _section(title: str, before: set, after: set, key_of) -> Section:
    """Totals and per-key counts of two sets of outcomes; rows only where a key's count differs."""
    count_b, count_a = defaultdict(int), defaultdict(int)
    for item in before:
        count_b[key_of(item)] += 1
    for item in after:
        count_a[key_of(item)] += 1
    rows = [Row(k, count_b[k], count_a[k]) for k in sorted(set(count_b) | set(count_a), key=str)
            if count_b[k] != count_a[k]]
    return Section(title, len(before), len(after), len(after - before), len(before - after), rows)


# --- monitoring ------------------------------------------------------------------------------

def _monitoring(session, court_id, places, start: date, end: date) -> list[Section]:
    """Each place's cases replayed with its own policy before and after; the court's sections sum them."""
    warnings, escalations, judges = (set(), set()), (set(), set()), set()
    for scope, before, after in places:
        cases = session.exec(select(Case.id, Case.lead_judge_id, Case.filed_on, Case.deadline, Case.decided_on,
                                    Case.closed_on, Case.state).where(
            scope.where(Case.court_id, Case.division_id), Case.filed_on <= end,
            (Case.closed_on.is_(None)) | (Case.closed_on >= start))).all()
        judges |= {c.lead_judge_id for c in cases}
        for found, pol in zip(warnings, (before, after)):
            found |= _warnings(pol, cases, start, end)
        for found, pol in zip(escalations, (before, after)):
            found |= _escalations(pol, cases, start, end)
    names = _names(session, judges)
    judge = lambda item: names.get(item[-1], "—")  # noqa: E731
    return [_section("warnings", *warnings, judge), _section("long_pending", *escalations, judge)]


def _running_until(case, end: date) -> date:
    """The last day the case's clock ran (as far as the history shows: till decided or closed)."""
    stop = case.decided_on or case.closed_on
    if stop is None and case.state in CLOSED_STATES:
        return case.filed_on
    return min(end, stop - timedelta(days=1)) if stop else end


def _warnings(pol, cases, start: date, end: date) -> set:
    """(case, threshold, judge) for each warning the daily monitor would have sent: on some day of the window
    the case was running and its deadline lay in the threshold's bucket."""
    found = set()
    for c in cases:
        if c.deadline is None or c.lead_judge_id is None:
            continue
        first, last = max(c.filed_on, start), _running_until(c, end)
        for days, low in pol.buckets():
            if max(first, c.deadline - timedelta(days=days)) <= min(last, c.deadline - timedelta(days=low + 1)):
                found.add((c.id, days, c.lead_judge_id))
    return found


def _escalations(pol, cases, start: date, end: date) -> set:
    """(case, months, role, judge) for each long-pending grade a case reached within the window, still pending."""
    found = set()
    for c in cases:
        for grade in pol.long_pending:
            reached = add_months(c.filed_on, grade.months)
            if start <= reached <= end and (c.closed_on is None or c.closed_on > reached):
                for role in (*grade.roles, *grade.higher_court_roles):
                    found.add((c.id, grade.months, role, c.lead_judge_id))
    return found


# --- assessment ------------------------------------------------------------------------------

def _months(start: date, end: date) -> list[Period]:
    month, found = Period.month_of(end), []
    while month.start >= start:
        found.append(month)
        month = month.previous()
    return sorted(found)


def _assessment(session, court_id, places, start: date, end: date) -> list[Section]:
    [(_, before, after)] = places  # assessed by court
    months = _months(start, end)
    streaks = dict(session.exec(select(AssessmentRecord.user_id, AssessmentRecord.missed_streak).where(
        AssessmentRecord.period_kind == "month", AssessmentRecord.period == months[0].previous().label,
        AssessmentRecord.court_id == court_id)).all())
    runs = {}
    for label, now_pol, use_proposed in (("before", before, False), ("after", after, True)):
        runs[label] = _assess(session, court_id, months, streaks,
                              (lambda m, p=now_pol: p) if use_proposed else
                              (lambda m: policy_on(session, court_id, "assessment", m.end)))
    names = _names(session, {k[1] for run in runs.values() for k in run["targets"]})
    person = lambda item: names.get(item[1], "—")  # noqa: E731
    targets = _target_section(runs["before"]["targets"], runs["after"]["targets"], names)
    met = _section("targets_met", runs["before"]["met"], runs["after"]["met"], person)
    steps = _section("ladder_steps", runs["before"]["steps"], runs["after"]["steps"], person)
    return [targets, met, steps]


def _target_section(before: set, after: set, names: dict) -> Section:
    """Each judge's monthly targets summed over the window, where they differ; added/removed count the
    judge-months whose target rose or fell."""
    old = {(m, u): t for m, u, t in before}
    new = {(m, u): t for m, u, t in after}
    sums_b, sums_a = defaultdict(float), defaultdict(float)
    for key, t in old.items():
        sums_b[key[1]] += t
    for key, t in new.items():
        sums_a[key[1]] += t
    rows = [Row(names.get(u, "—"), round(sums_b[u], 2), round(sums_a[u], 2))
            for u in sorted(set(sums_b) | set(sums_a), key=lambda u: names.get(u, ""))
            if round(sums_b[u], 2) != round(sums_a[u], 2)]
    return Section("targets", len(old), len(new), sum(1 for k in new if new[k] > old.get(k, 0)),
                   sum(1 for k in new if new[k] < old.get(k, new[k])), rows)


def _assess(session, court_id: int, months: list[Period], streaks: dict, policy_for) -> dict:
    """Each month's records as the monthly assessment would build them, and the ladder steps they open."""
    targets, met, steps = set(), set(), set()
    history: dict[int, list[Facts]] = defaultdict(list)
    streak = dict(streaks)
    for month in months:
        pol = policy_for(month)
        ladders = ladders_in_force(session, pol, court_id)
        for row in month_rows(session, pol, [court_id], month):
            user = row["user_id"]
            streak[user] = 0 if row["met"] else streak.get(user, 0) + 1
            targets.add((month.label, user, round(row["target"], 2)))
            if row["met"]:
                met.add((month.label, user))
            history[user].insert(0, Facts(period=month.label, met=row["met"], missed_streak=streak[user],
                                          quantity=row["quantity"], target=row["target"]))
            for name, ladder in ladders:
                for step in ladder.steps:
                    if step.when.period_kind == "month" and due(step, history[user]):
                        steps.add((month.label, user, f"{name}:{step.key}"))
    return {"targets": targets, "met": met, "steps": steps}


# --- quality review --------------------------------------------------------------------------

def _quality_review(session, court_id, places, start: date, end: date) -> list[Section]:
    """Each month's routine draw again from its stored population and seed, with the proposed rate."""
    [(_, before, after)] = places  # drawn by court
    draws = session.exec(select(ReviewDraw).where(
        ReviewDraw.court_id == court_id, ReviewDraw.month >= start.strftime("%Y-%m"),
        ReviewDraw.month <= end.strftime("%Y-%m"))).all()
    judge_of, old, new = {}, set(), set()
    for d in draws:
        population = [tuple(p) for p in d.population]
        judge_of.update(dict(population))
        old |= {(d.month, c) for c in draw_sample(population, d.seed, before.routine.rate,
                                                  before.routine.at_least_one_per_judge)}
        new |= {(d.month, c) for c in draw_sample(population, d.seed, after.routine.rate,
                                                  after.routine.at_least_one_per_judge)}
    names = _names(session, set(judge_of.values()))
    return [_section("review_samples", old, new, lambda item: names.get(judge_of.get(item[1]), "—"))]


# --- petitions -------------------------------------------------------------------------------

def _petitions(session, court_id, places, start: date, end: date) -> list[Section]:
    [(_, before, after)] = places  # registered by court
    cal = calendar(session, court_id)
    rows = session.exec(select(Petition.id, Petition.registered_on).where(
        Petition.court_id == court_id, Petition.registered_on.between(start, end))).all()
    old = {(pid, before.answer_dates(day, cal).due) for pid, day in rows}
    new = {(pid, after.answer_dates(day, cal).due) for pid, day in rows}
    section = _section("petition_due_dates", old, new, lambda item: item[1].strftime("%Y-%m"))
    section.before = section.after = len(rows)
    return [section]


REPLAYS = {"monitoring": _monitoring, "assessment": _assessment, "quality_review": _quality_review,
           "petitions": _petitions}

