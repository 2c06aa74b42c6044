"""The one generic evaluator of the indicator catalogue (policies/indicators.py): each case set becomes one
SQL condition, summed set-based per (court, division, lead judge) — and, for the drill-down, used as the
WHERE of the list of what a figure counts, so the list and the count cannot disagree. Nothing loops over
cases in Python; SQLite and PostgreSQL run the same statements.

Per period: one GROUP BY over the cases alive in it (the `cases` sets), one over the cases joined to the
case they are against (the `against` sets: appeals, retrial petitions), one over the petitions.
"""
from datetime import date

from sqlalchemy import Integer, and_, case as when, cast, exists, func, literal, null, or_, select, true

from policies.deadline import add_months
from policies.indicators import CaseSet, Condition, IndicatorPolicy
from policies.periods import Period
from store.models import AppealOutcome, Case, Court, Petition

Key = tuple[int, int | None, int | None]  # (court, division, lead judge)
LEVEL_COLUMN = {"court": "court_id", "division": "division_id", "judge": "lead_judge_id"}


def _days_between(session, later, earlier):
    if session.get_bind().dialect.name == "postgresql":
        return later - earlier
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def window(s: CaseSet, p: Period) -> tuple[date, date]:
    return (date(p.year, 1, 1) if s.window == "year_to_date" else p.start), p.end


def _anchor(t, anchor: str, start: date, end: date):
    return {
        "filed": t.c.filed_on.between(start, end),
        "closed": t.c.closed_on.between(start, end),
        "carried": and_(t.c.filed_on < start, or_(t.c.closed_on.is_(None), t.c.closed_on >= start)),
        "pending_end": and_(t.c.filed_on <= end, or_(t.c.closed_on.is_(None), t.c.closed_on > end)),
    }[anchor]


def _conditions(policy: IndicatorPolicy, c: Condition, t, end: date) -> list:
    parts = []
    if c.procedures is not None:
        parts.append(t.c.procedure.in_(policy.procedures(c.procedures)))
    if c.closing_methods is not None:
        parts.append(t.c.closing_method.in_(c.closing_methods))
    if c.states is not None:
        parts.append(t.c.state.in_(c.states))
    if c.court_levels is not None:
        parts.append(t.c.court_id.in_(select(Court.id).where(Court.level.in_(c.court_levels))))
    if c.within_limit is not None:
        within = or_(t.c.deadline.is_(None), t.c.closed_on <= t.c.deadline)
        parts.append(within if c.within_limit else ~within)
    if c.original is not None:
        parts.append(t.c.related_to_id.is_(None) if c.original else t.c.related_to_id.is_not(None))
    if c.revised_or_remanded is not None:
        hit = or_(t.c.remanded.is_(True), exists().where(AppealOutcome.case_id == t.c.id))
        parts.append(hit if c.revised_or_remanded else ~hit)
    if c.pending_months is not None:
        parts.append(t.c.filed_on <= add_months(end, -c.pending_months.low))
        if c.pending_months.high is not None:
            parts.append(t.c.filed_on > add_months(end, -c.pending_months.high))
    if c.any_of:
        parts.append(or_(*(and_(true(), *_conditions(policy, sub, t, end)) for sub in c.any_of)))
    return parts


def set_condition(policy: IndicatorPolicy, s: CaseSet, p: Period, t, original=None):
    """The set as one condition: on `t` (cases, or the petitions), and on `original` for `against` sets."""
    start, end = window(s, p)
    if s.of == "petitions":
        return and_(t.c.registered_on.between(start, end), t.c.merged_into_id.is_(None))
    parts = [_anchor(t, a, start, end) for a in s.at] + _conditions(policy, s, t, end)
    if s.of == "against":
        parts += _conditions(policy, s.against, original, end)
    return and_(*parts)


def _measure(session, s: CaseSet, t):
    return _days_between(session, t.c.closed_on, t.c.filed_on) if s.measure == "days" else 1


def period_columns(session, policy: IndicatorPolicy, p: Period, tag: str, names: tuple[str, ...], t=None) -> list:
    """Conditional sums of the `cases` sets among `names`, labelled `<tag>__<set>`."""
    t = Case.__table__ if t is None else t
    columns = []
    for name in names:
        s = policy.case_sets[name]
        if s.of == "cases":
            columns.append(func.sum(when((set_condition(policy, s, p, t), _measure(session, s, t)), else_=0))
                           .label(f"{tag}__{name}"))
    return columns


def unindexed_keys(t=None) -> list:
    """(court, division, judge) as expressions no index matches. The scan covers most of the cases,
    so one pass over the table beats SQLite's choice of walking an index in group order (or an
    OR of index ranges) with a random row lookup per case: 0.7 s against 5.4 s for a province month."""
    t = Case.__table__ if t is None else t
    return [(t.c.court_id + 0).label("court_id"), (t.c.division_id + 0).label("division_id"),
            (t.c.lead_judge_id + 0).label("lead_judge_id")]


def _alive(policy, names, periods: dict[str, Period], t):
    """A superset of the rows any of the sets can count in the periods (the index-friendly prefilter)."""
    start = min(window(policy.case_sets[n], p)[0] for n in names for p in periods.values())
    end = max(p.end for p in periods.values())
    return and_(t.c.filed_on <= end, func.coalesce(t.c.closed_on, date.max) >= start)


def _sum(session, policy, name: str, p: Period, t, o=None):
    """COUNT of a CASE without ELSE for a count (cheaper per row than SUM of 1 or 0), SUM for days."""
    s = policy.case_sets[name]
    condition = set_condition(policy, s, p, t, o)
    if s.measure == "count":
        return func.count(when((condition, 1)))
    return func.sum(when((condition, _measure(session, s, t)), else_=0))


def _sums(session, policy, names, periods: dict[str, Period], t, o=None) -> list:
    return [_sum(session, policy, n, p, t, o).label(f"{tag}__{n}") for tag, p in periods.items() for n in names]


def _statements(session, policy: IndicatorPolicy, periods: dict[str, Period], names: tuple[str, ...], court_ids,
                unit: tuple[str, int] | None = None):
    """One statement per kind of set over all `periods` (its sums labelled `<tag>__<set>`), per (court, division, judge)."""
    by_kind = {kind: tuple(n for n in names if policy.case_sets[n].of == kind) for kind in ("cases", "against", "petitions")}
    if by_kind["cases"]:
        t = Case.__table__
        keys = unindexed_keys(t)
        stmt = (select(*keys, *_sums(session, policy, by_kind["cases"], periods, t))
                .where(_alive(policy, by_kind["cases"], periods, t)).group_by(*keys))
        yield _scoped(stmt, t, court_ids, unit), by_kind["cases"]
    if by_kind["against"]:
        t, o = Case.__table__.alias("counted"), Case.__table__.alias("original")
        keys = [o.c.court_id, o.c.division_id, o.c.lead_judge_id]
        procedures = {p for n in by_kind["against"] for p in policy.procedures(policy.case_sets[n].procedures or [])}
        stmt = (select(*keys, *_sums(session, policy, by_kind["against"], periods, t, o))
                .select_from(t.join(o, o.c.id == t.c.related_to_id))
                .where(_alive(policy, by_kind["against"], periods, t), t.c.related_to_id.is_not(None))
                .group_by(*keys))
        if all(policy.case_sets[n].procedures for n in by_kind["against"]):  # only the rows some set can count
            stmt = stmt.where(t.c.procedure.in_(sorted(procedures)))
        yield _scoped(stmt, o, court_ids, unit), by_kind["against"]
    if by_kind["petitions"] and (unit is None or unit[0] != "judge"):
        t = Petition.__table__
        first = min(date(p.year, 1, 1) for p in periods.values())
        stmt = (select(t.c.court_id, t.c.division_id, null().label("lead_judge_id"),
                       *_sums(session, policy, by_kind["petitions"], periods, t))
                .where(t.c.registered_on.between(first, max(p.end for p in periods.values())))
                .group_by(t.c.court_id, t.c.division_id))
        yield _scoped(stmt, t, court_ids, unit), by_kind["petitions"]


def _scoped(stmt, t, court_ids, unit):
    if court_ids is not None:
        stmt = stmt.where(t.c.court_id.in_(court_ids))
    if unit is not None:
        stmt = stmt.where(t.c[LEVEL_COLUMN[unit[0]]] == unit[1])
    return stmt


def case_counts(session, policy: IndicatorPolicy, periods: dict[str, Period], court_ids: list[int] | None = None,
                names: tuple[str, ...] | None = None, unit: tuple[str, int] | None = None,
                one_pass: bool = False) -> dict[Key, dict[str, dict[str, int]]]:
    """{(court, division, judge): {period tag: {set name: n}}} for every tag in `periods`; only the sets
    in `names` (default: all) are gathered, the others stay 0; `unit` (level, id) keeps one unit's rows.
    By default one statement per period and kind of set: the conditional sums cost per row, so narrow
    passes over each period beat one over their union; `one_pass` (a series of many periods over one
    unit and few sets) reads the rows of the whole window once."""
    names = tuple(policy.case_sets) if names is None else names
    found: dict[Key, dict[str, dict[str, int]]] = {}
    batches = [periods] if one_pass else [{tag: p} for tag, p in periods.items()]
    for batch in batches:
        for stmt, gathered in _statements(session, policy, batch, names, court_ids, unit):
            for row in session.execute(stmt).mappings():
                key = tuple(row.values())[:3]
                counts = found.setdefault(key, {t: empty_counts(policy) for t in periods})
                for tag in batch:
                    for name in gathered:
                        counts[tag][name] += int(row[f"{tag}__{name}"] or 0)
    return found


def drill_down(session, policy: IndicatorPolicy, set_name: str, period: Period, level: str, unit_id: int) -> list[int]:
    """The ids of what `set_name` counts for the unit (court, division or judge) in the period — cases, or
    petitions for a petitions set — exactly the rows case_counts sums for it, by the same condition."""
    s = policy.case_sets[set_name]
    column = LEVEL_COLUMN[level]
    if s.of == "petitions":
        t = Petition.__table__
        unit = t.c[column] == unit_id if level != "judge" else literal(False)
        stmt = select(t.c.id).where(set_condition(policy, s, period, t), unit)
    elif s.of == "against":
        t, o = Case.__table__.alias("counted"), Case.__table__.alias("original")
        stmt = (select(t.c.id).select_from(t.join(o, o.c.id == t.c.related_to_id))
                .where(set_condition(policy, s, period, t, o), o.c[column] == unit_id))
    else:
        t = Case.__table__
        stmt = select(t.c.id).where(set_condition(policy, s, period, t), t.c[column] == unit_id)
    return [r[0] for r in session.execute(stmt.order_by(t.c.id)).all()]


def empty_counts(policy: IndicatorPolicy) -> dict[str, int]:
    return dict.fromkeys(policy.case_sets, 0)


def add_into(total: dict[str, int], counts: dict[str, int]) -> None:
    for name, n in counts.items():
        total[name] = total.get(name, 0) + n
