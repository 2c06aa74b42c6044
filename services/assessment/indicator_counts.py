"""The one generic evaluator of the indicator catalogue (policies/indicators.py): each case set becomes one
SQL condition, summed set-based per (court, division, lead judge) — and, for the drill-down, used as the
WHERE of the list of what a figure counts, so the list and the count cannot disagree. Nothing loops over
cases in Python; SQLite and PostgreSQL run the same statements.

Per period: GROUP BYs over the cases alive in it (the `cases` sets) and over the cases joined to the case they
are against (the `against` sets: appeals, retrial petitions), each in three slices read through one covering
index (Slice); one over the petitions; one over the process nodes joined to their case (the `nodes` sets: node
punctuality, publication), read through a covering index on the planned day.
"""
from dataclasses import dataclass
from datetime import date
from functools import cache
from operator import add, itemgetter

from sqlalchemy import Integer, and_, case as when, cast, exists, func, literal, literal_column, null, or_, select, true

from policies.deadline import add_months
from policies.indicators import CaseSet, Condition, IndicatorPolicy
from policies.periods import Period
from policies.registry import build
from store.models import AppealOutcome, Case, CaseNode, Court, EnforcementCheck, Petition

Key = tuple[int, int | None, int | None]  # (court, division, lead judge)
LEVEL_COLUMN = {"court": "court_id", "division": "division_id", "judge": "lead_judge_id"}
DROPPED = "dropped"  # the note of a node no longer anyone's to do (services/cases/nodes.py: drop_open_nodes)


@cache
def _termination_items() -> tuple[str, ...]:
    """The 终本 checklist (enforcement.yaml) a lawful 终本 has every item of recorded."""
    return tuple(build("enforcement").terminate_round.items)


def _days_between(session, later, earlier):
    if session.get_bind().dialect.name == "postgresql":
        return later - earlier
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def window(s: CaseSet, p: Period) -> tuple[date, date]:
    return (date(p.year, 1, 1) if s.window == "year_to_date" else p.start), p.end


@dataclass(frozen=True)
class Slice:
    """One of three disjoint parts of the cases periods [first, last] can count, each read through an index range
    (ix_cases_indicator_span): still pending, closed after `last`, closed within [first, last]. Every anchor needs
    a case open on some day of a period, so the cases closed before `first` are never read."""
    name: str
    first: date
    last: date

    def rows(self, t):
        return {"pending": and_(t.c.closed_on.is_(None), t.c.filed_on <= self.last),
                "later": and_(t.c.closed_on > self.last, t.c.filed_on <= self.last),
                "during": t.c.closed_on.between(self.first, self.last)}[self.name]


def slices(first: date, last: date) -> list[Slice]:
    return [Slice(name, first, last) for name in ("pending", "later", "during")]


def _anchor(t, anchor: str, start: date, end: date, part: Slice | None = None):
    """The anchor as a condition on the cases `t`; within a slice of a batch of periods, what the slice already
    settles is left out: True when every row of the slice meets it, None when none can."""
    if anchor == "filed":
        return t.c.filed_on.between(start, end)
    if part is None:
        return {"closed": t.c.closed_on.between(start, end),
                "carried": and_(t.c.filed_on < start, or_(t.c.closed_on.is_(None), t.c.closed_on >= start)),
                "pending_end": and_(t.c.filed_on <= end, or_(t.c.closed_on.is_(None), t.c.closed_on > end))}[anchor]
    if part.name != "during":  # open at every period's end of the batch: pending, or closed after the last
        return {"closed": None, "carried": t.c.filed_on < start,
                "pending_end": True if end >= part.last else t.c.filed_on <= end}[anchor]
    if anchor == "closed":
        return True if start <= part.first and end >= part.last else t.c.closed_on.between(start, end)
    if anchor == "carried":
        return t.c.filed_on < start if start <= part.first else and_(t.c.filed_on < start, t.c.closed_on >= start)
    return None if end >= part.last else and_(t.c.filed_on <= end, t.c.closed_on > end)


def _node_anchor(n, anchor: str, start: date, end: date):
    column = {"planned": n.c.planned_on, "triggered": n.c.trigger_on, "done": n.c.done_on}[anchor]
    return column.between(start, end)


def _node_conditions(s: CaseSet, n, end: date) -> list:
    dropped = and_(n.c.done_on.is_not(None), n.c.note == DROPPED)
    parts = []
    if s.nodes is not None:
        parts.append(n.c.node.in_(s.nodes))
    if s.dropped is not None:
        parts.append(dropped if s.dropped else ~dropped)
    if s.done is not None:
        done = and_(n.c.done_on <= end, n.c.note != DROPPED)
        parts.append(done if s.done else or_(n.c.done_on.is_(None), n.c.done_on > end))
    if s.late is not None:
        parts.append(n.c.late.is_(s.late))
    if s.exempted is not None:
        parts.append(n.c.exemption_ground.is_not(None) if s.exempted else n.c.exemption_ground.is_(None))
    return parts


def _checklist_complete(t):
    items = _termination_items()
    recorded = (select(func.count(func.distinct(EnforcementCheck.item)))
                .where(EnforcementCheck.case_id == t.c.id, EnforcementCheck.item.in_(items)).scalar_subquery())
    return recorded == len(items)


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
    if c.checklist_complete is not None:
        complete = _checklist_complete(t)
        parts.append(complete if c.checklist_complete else ~complete)
    if c.any_of:
        parts.append(or_(*(and_(true(), *_conditions(policy, sub, t, end)) for sub in c.any_of)))
    return parts


def set_condition(policy: IndicatorPolicy, s: CaseSet, p: Period, t, original=None, part: Slice | None = None):
    """The set as one condition: on `t` (cases, the petitions or the nodes), and on `original` for `against`
    sets (the case they are against) and `nodes` sets (their case). Within a slice of the cases (`part`): True
    when the slice settles it, None when the slice holds none of its rows."""
    start, end = window(s, p)
    if s.of == "petitions":
        return and_(t.c.registered_on.between(start, end), t.c.merged_into_id.is_(None))
    if s.of == "nodes":
        return and_(*(_node_anchor(t, a, start, end) for a in s.at), *_node_conditions(s, t, end),
                    *_conditions(policy, s, original, end))
    anchors = [_anchor(t, a, start, end, part) for a in s.at]
    if any(a is None for a in anchors):
        return None
    parts = [a for a in anchors if a is not True] + _conditions(policy, s, t, end)
    if s.of == "against":
        parts += _conditions(policy, s.against, original, end)
    return and_(*parts) if parts else True


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


def _span(policy, names, periods: dict[str, Period]) -> tuple[date, date]:
    """The first and last day any of the sets counts in the periods."""
    return (min(window(policy.case_sets[n], p)[0] for n in names for p in periods.values()),
            max(p.end for p in periods.values()))


def _sum(session, policy, name: str, p: Period, t, o=None, part: Slice | None = None):
    """COUNT of a CASE without ELSE for a count (cheaper per row than SUM of 1 or 0), SUM for days; None when
    the slice holds none of the set's rows."""
    s = policy.case_sets[name]
    condition = set_condition(policy, s, p, t, o, part)
    if condition is None:
        return None
    if s.measure == "count":
        return func.count() if condition is True else func.count(when((condition, 1)))
    days = _measure(session, s, t) if condition is True else when((condition, _measure(session, s, t)), else_=0)
    return func.coalesce(func.sum(days), 0)


def _sums(session, policy, names, periods: dict[str, Period], t, o=None, part: Slice | None = None):
    """The sums of the sets in the periods ([column], [(period tag, set)] in the same order)."""
    columns, labels = [], []
    for tag, p in periods.items():
        for n in names:
            column = _sum(session, policy, n, p, t, o, part)
            if column is not None:
                columns.append(column)
                labels.append((tag, n))
    return columns, labels


def _statements(session, policy: IndicatorPolicy, batches: list[dict[str, Period]], names: tuple[str, ...], court_ids,
                unit: tuple[str, int] | None = None):
    """The statements of the sets, per batch of periods and per (court, division, judge): (statement,
    [(period tag, set)] of its columns after the three keys). The cases, and the cases against a unit's cases,
    are read in three slices, each summing only the sets its rows can meet, with the anchors it settles left out."""
    by_kind = {kind: tuple(n for n in names if policy.case_sets[n].of == kind)
               for kind in ("cases", "against", "petitions", "nodes")}
    if by_kind["cases"]:
        t = Case.__table__
        keys = unindexed_keys(t)
        for batch in batches:
            for part in slices(*_span(policy, by_kind["cases"], batch)):
                columns, labels = _sums(session, policy, by_kind["cases"], batch, t, part=part)
                if columns:
                    stmt = select(*keys, *columns).where(part.rows(t)).group_by(*keys)
                    yield _scoped(stmt, t, court_ids, unit), labels
    if by_kind["against"]:
        t, o = Case.__table__.alias("counted"), Case.__table__.alias("original")
        keys = [o.c.court_id, o.c.division_id, o.c.lead_judge_id]
        procedures = {p for n in by_kind["against"] for p in policy.procedures(policy.case_sets[n].procedures or [])}
        for batch in batches:
            for part in slices(*_span(policy, by_kind["against"], batch)):
                columns, labels = _sums(session, policy, by_kind["against"], batch, t, o, part)
                if not columns:
                    continue
                stmt = (select(*keys, *columns).select_from(t.join(o, o.c.id == t.c.related_to_id))
                        .where(part.rows(t), t.c.related_to_id.is_not(None)).group_by(*keys))
                if all(policy.case_sets[n].procedures for n in by_kind["against"]):  # only rows some set can count
                    stmt = stmt.where(t.c.procedure.in_(sorted(procedures)))
                yield _scoped(stmt, o, court_ids, unit), labels
    for batch in batches:
        if by_kind["petitions"] and (unit is None or unit[0] != "judge"):
            t = Petition.__table__
            first = min(date(p.year, 1, 1) for p in batch.values())
            columns, labels = _sums(session, policy, by_kind["petitions"], batch, t)
            stmt = (select(t.c.court_id, t.c.division_id, null().label("lead_judge_id"), *columns)
                    .where(t.c.registered_on.between(first, max(p.end for p in batch.values())))
                    .group_by(t.c.court_id, t.c.division_id))
            yield _scoped(stmt, t, court_ids, unit), labels
        if by_kind["nodes"]:
            n, c = CaseNode.__table__, Case.__table__
            keys = [c.c.court_id, c.c.division_id, c.c.lead_judge_id]
            columns, labels = _sums(session, policy, by_kind["nodes"], batch, n, c)
            stmt = (select(*keys, *columns).select_from(n.join(c, c.c.id == n.c.case_id))
                    .where(_nodes_alive(policy, by_kind["nodes"], batch, n)).group_by(*keys))
            yield _scoped(stmt, c, court_ids, unit), labels


def _nodes_alive(policy, names, periods: dict[str, Period], n):
    """The nodes at one of the sets' anchors in the periods' span (a superset of what the sets count)."""
    start = min(window(policy.case_sets[name], p)[0] for name in names for p in periods.values())
    end = max(p.end for p in periods.values())
    anchors = sorted({a for name in names for a in policy.case_sets[name].at})
    return or_(*(_node_anchor(n, a, start, end) for a in anchors))


def _scoped(stmt, t, court_ids, unit):
    if court_ids is not None:
        stmt = stmt.where(t.c.court_id.in_(court_ids))
    if unit is not None:
        stmt = stmt.where(t.c[LEVEL_COLUMN[unit[0]]] == unit[1])
    return stmt


def case_counts(session, policy: IndicatorPolicy, periods: dict[str, Period], court_ids: list[int] | None = None,
                names: tuple[str, ...] | None = None, unit: tuple[str, int] | None = None,
                one_pass: bool = False) -> dict[Key, dict[str, dict[str, int]]]:
    """{(court, division, judge): {period tag: {set name: n}}} for every tag in `periods`, each listing every set
    in the policy's order; only the sets in `names` (default: all) are gathered, the others stay 0; `unit`
    (level, id) keeps one unit's rows. By default the closed cases are read per period: the conditional sums
    cost per row, so narrow passes over each period beat one over their union; `one_pass` (a series of many
    periods over one unit and few sets) reads the rows of the whole window once.

    Each statement's row is laid out per period by one C-level gather in the sets' order and added to its
    group's element-wise: thousands of groups × dozens of sums, no Python loop per sum."""
    names = tuple(policy.case_sets) if names is None else names
    sets = tuple(policy.case_sets)
    batches = [periods] if one_pass else [{tag: p} for tag, p in periods.items()]
    found: dict[Key, dict[str, list[int]]] = {}
    for stmt, labels in _statements(session, policy, batches, names, court_ids, unit):
        nothing = 3 + len(labels)  # the trailing 0 of every row: the sums a statement has no column for
        gathers = [(tag, _gather(sets, {name: 3 + j for j, (t, name) in enumerate(labels) if t == tag}, nothing))
                   for tag in dict.fromkeys(tag for tag, _ in labels)]
        for row in session.execute(stmt.add_columns(literal_column("0"))):
            key = (row[0], row[1], row[2])
            counts = found.setdefault(key, {})
            for tag, gather in gathers:
                before = counts.get(tag)
                counts[tag] = list(gather(row)) if before is None else list(map(add, before, gather(row)))
    zero = [0] * len(sets)
    return {key: {tag: dict(zip(sets, counts.get(tag, zero))) for tag in periods} for key, counts in found.items()}


def _gather(sets: tuple[str, ...], where: dict[str, int], nothing: int) -> itemgetter:
    """Picks a row's sums in the order of `sets`: a set's column where the statement has one, else the 0."""
    return itemgetter(*(where.get(name, nothing) for name in sets))


def drill_down(session, policy: IndicatorPolicy, set_name: str, period: Period, level: str, unit_id: int) -> list[int]:
    """The ids of what `set_name` counts for the unit (court, division or judge) in the period — cases,
    petitions for a petitions set, case nodes for a nodes set — exactly the rows case_counts sums for it,
    by the same condition."""
    s = policy.case_sets[set_name]
    column = LEVEL_COLUMN[level]
    if s.of == "petitions":
        t = Petition.__table__
        unit = t.c[column] == unit_id if level != "judge" else literal(False)
        stmt = select(t.c.id).where(set_condition(policy, s, period, t), unit)
    elif s.of == "nodes":
        t, c = CaseNode.__table__, Case.__table__
        stmt = (select(t.c.id).select_from(t.join(c, c.c.id == t.c.case_id))
                .where(set_condition(policy, s, period, t, c), c.c[column] == unit_id))
    elif s.of == "against":
        t, o = Case.__table__.alias("counted"), Case.__table__.alias("original")
        stmt = (select(t.c.id).select_from(t.join(o, o.c.id == t.c.related_to_id))
                .where(set_condition(policy, s, period, t, o), o.c[column] == unit_id))
    else:
        t = Case.__table__
        stmt = select(t.c.id).where(set_condition(policy, s, period, t), t.c[column] == unit_id)
    return [r[0] for r in session.execute(stmt.order_by(t.c.id)).all()]


def add_into(total: dict[str, int], counts: dict[str, int]) -> None:
    for name, n in counts.items():
        total[name] = total.get(name, 0) + n
