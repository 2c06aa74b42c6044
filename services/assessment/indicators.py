"""审判质效指标 (SPEC §8) per judge, division and court for a period, with 环比 and 同比.

The counts come from one set-based pass (services/assessment/indicator_counts.py); they are summed
from (court, division, judge) groups up to divisions and courts, and the ratios are taken
from the sums. Each value carries the policy's reference range and whether it lies inside.
"""
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import add

from sqlmodel import select

import i18n
from policies.indicators import AGE_BUCKETS, GROUPS, IndicatorPolicy, change, improving
from policies.periods import Period
from services.assessment.indicator_counts import case_counts
from services.kernel.policy import courts_by_policy
from store.models import Court, Division, User

TAGS = ("current", "previous", "last_year")
LEVELS = ("court", "division", "judge")
STATE_WORDS = {"normal": "within_range", "outside": "outside_range"}  # an indicator's place against its range
AGE_LABELS = tuple(i18n.label("age_bucket", str(i), i18n.DEFAULT) for i in range(len(AGE_BUCKETS)))


@dataclass
class Unit:
    level: str
    id: int
    name: str
    court_id: int
    division_id: int | None = None
    court_level: str | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {t: {} for t in TAGS})

    def as_dict(self, rows: dict[str, dict]) -> dict:
        current = self.counts["current"]
        return {"level": self.level, "id": self.id, "name": self.name, "court_id": self.court_id,
                "division_id": self.division_id, "indicators": rows, "counts": dict(current),
                "improving": sum(1 for r in rows.values() if r["improving"]),
                "comparable": sum(1 for r in rows.values() if r["yoy"] is not None),
                "age_profile": [{"label": label, "pending": current.get(f"age_{i}", 0)}
                                for i, label in enumerate(AGE_LABELS)]}


class Sheet:
    """The 体检表 of one report: what every unit's rows share, made once — each indicator's label, definition,
    sets and range by court level (read-only, shared by the rows: thousands of units) — and a unit's rows."""

    def __init__(self, policy: IndicatorPolicy, period: Period):
        self.policy, self.period = policy, period
        self.lines = [(name, ind, indicator_label(policy, name), {"numerator": ind.numerator, "denominator": ind.denominator})
                      for name, ind in policy.catalogue.items()]
        self._ranges: dict[str | None, list] = {}

    def ranges(self, court_level: str | None) -> list[tuple]:
        """Per indicator: its range for the period and the court level, and the range as a row shows it."""
        if court_level not in self._ranges:
            refs = [self.policy.range_for(name, self.period.kind, court_level) for name, *_ in self.lines]
            self._ranges[court_level] = [(ref, {"low": ref.low, "high": ref.high} if ref else None) for ref in refs]
        return self._ranges[court_level]

    def rows(self, units: list[Unit]) -> list[dict[str, dict]]:
        """Each unit's rows: {indicator: figure, 环比, 同比, 趋优, range, in range}; each indicator computed for
        every unit at once."""
        figures = [zip(*(ind.values_of([u.counts[tag] for u in units]) for tag in TAGS)) for _, ind, _, _ in self.lines]
        found = []
        for unit in units:
            rows = {}
            for (name, ind, label, sets), (ref, shown), column in zip(self.lines, self.ranges(unit.court_level), figures):
                v, prev, last = next(column)
                rows[name] = {"label": label, "group": ind.group, "source": ind.source, "awaiting": ind.awaiting,
                              "better": ind.better, "sets": sets, "value": v, "previous": prev, "last_year": last,
                              "mom": change(v, prev), "yoy": change(v, last),
                              "improving": improving(v, last, ind.better), "range": shown,
                              "normal": ref.holds(v) if ref else None}
            found.append(rows)
        return found


def indicator_label(policy: IndicatorPolicy, name: str, lang: str | None = i18n.DEFAULT) -> str:
    """Its word in the catalog, or the title a court gave the indicator it added."""
    word = i18n.label("indicator", name, lang)
    titles = policy.catalogue[name].title
    if word != name or not titles:
        return word
    return titles.get(lang or i18n.DEFAULT) or next(iter(titles.values()))


def catalogue_rows(policy: IndicatorPolicy, unit: dict, lang: str | None = None) -> list[dict]:
    """A unit's 体检表 as its dashboard shows it and the export writes it, grouped 质量, 效率, 效果: each line its
    figures (the report's row), its words in `lang` (the catalog's, or a court's own line by its title) and its
    state — within or outside its range, or awaiting the data it names."""
    numbers = policy.shown_as_number()
    lines = []
    for group in GROUPS:
        for name, row in unit["indicators"].items():
            if row["group"] != group:
                continue
            state = "awaiting" if row["awaiting"] else {True: "normal", False: "outside"}.get(row["normal"], "")
            lines.append({**row, "name": name, "label": indicator_label(policy, name, lang), "number": name in numbers,
                          "group_label": i18n.label("indicator_group", group, lang), "state": state,
                          "state_label": (i18n.label("indicator_awaiting", row["awaiting"], lang) if state == "awaiting"
                                          else i18n.text(STATE_WORDS[state], lang) if state else "")})
    return lines


def period_tags(period: Period) -> dict[str, Period]:
    return {"current": period, "previous": period.previous(), "last_year": period.same_last_year()}


def indicator_report(session, period: Period, policy: IndicatorPolicy, court_ids: list[int] | None = None,
                     levels: tuple[str, ...] = LEVELS) -> dict:
    """{"period", "previous", "last_year", "units": [court rows, division rows, judge rows]}, every court by
    `policy` (a page of one court passes that court's own)."""
    with _collector_paused():
        return _report(session, period, policy, case_counts(session, policy, period_tags(period), court_ids), levels)


def reports_by_policy(session, period: Period, court_ids: list[int] | None = None,
                      levels: tuple[str, ...] = LEVELS) -> list[tuple[IndicatorPolicy, dict]]:
    """Every court (or those of `court_ids`) by the indicators policy in force there, its overrides resolved:
    [(policy, the report of the courts sharing it)]. Courts whose policies count the same case sets are counted
    in one pass: a court that changes a range, or adds a line of sets the others count too, costs no second pass."""
    wanted = None if court_ids is None else set(court_ids)
    alike: dict[str, list[tuple[IndicatorPolicy, list[int] | None]]] = {}
    for pol, courts in courts_by_policy(session, "indicators"):
        ids = courts if wanted is None else sorted(wanted if courts is None else wanted & set(courts))
        if ids != []:
            alike.setdefault(pol.model_dump_json(include={"case_sets", "procedure_groups"}), []).append((pol, ids))
    found = []
    with _collector_paused():
        for members in alike.values():
            ids = None if members[0][1] is None else sorted({c for _, courts in members for c in courts})
            groups = case_counts(session, members[0][0], period_tags(period), ids)
            for pol, courts in members:
                theirs = None if courts is None else set(courts)
                own = groups if theirs is None else {k: v for k, v in groups.items() if k[0] in theirs}
                found.append((pol, _report(session, period, pol, own, levels)))
    return found


def courts_report(session, period: Period, court_ids: list[int] | None = None, levels: tuple[str, ...] = LEVELS) -> dict:
    """The report of every court (or those of `court_ids`) in one, each court's units by its own policy."""
    units = sorted((u for _, report in reports_by_policy(session, period, court_ids, levels) for u in report["units"]),
                   key=lambda u: _order(u["level"], u["court_id"], u["division_id"], u["name"]))
    return {**_labels(period), "units": units}


def _labels(period: Period) -> dict:
    return {"period": period.label, "previous": period.previous().label, "last_year": period.same_last_year().label}


def _order(level: str, court_id: int, division_id: int | None, name: str) -> tuple:
    """A report lists its courts, then divisions, then judges, each by court, division and name."""
    return LEVELS.index(level), court_id, division_id or 0, name


def _report(session, period: Period, policy: IndicatorPolicy, groups: dict, levels: tuple[str, ...]) -> dict:
    units = _roll_up(groups, levels, tuple(policy.case_sets))
    _name_units(session, units)
    ordered = sorted(units.values(), key=lambda u: _order(u.level, u.court_id, u.division_id, u.name))
    return {**_labels(period), "units": [u.as_dict(rows) for u, rows in zip(ordered, Sheet(policy, period).rows(ordered))]}


@contextmanager
def _collector_paused():
    """The cyclic garbage collector paused while a report builds its rows: a province's is some 200,000 dicts
    without cycles (reference counting frees them), and the collector's full passes over the growing heap cost
    a third of the time spent in Python (bench/RESULTS.md, issue 21). It runs again afterwards; a collector
    already paused elsewhere is left as it was."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _roll_up(groups: dict, levels: tuple[str, ...], sets: tuple[str, ...]) -> dict[tuple[str, int], Unit]:
    """Each unit's counts, the sums of its (court, division, judge) groups': added as lists in the order of `sets`
    (thousands of units × dozens of sets), named once at the end."""
    units: dict[tuple[str, int], Unit] = {}
    sums: dict[tuple[str, int], list[list[int]]] = {}
    for (court, division, judge), by_tag in groups.items():
        counts = [list(by_tag[tag].values()) for tag in TAGS]  # case_counts lists the sets in `sets` order
        targets = [("court", court, court, None)]
        if division is not None:
            targets.append(("division", division, court, division))
        if judge is not None:
            targets.append(("judge", judge, court, division))
        for level, unit_id, court_id, division_id in targets:
            if level not in levels:
                continue
            key = (level, unit_id)
            if key in units:
                sums[key] = [list(map(add, a, b)) for a, b in zip(sums[key], counts)]
            else:
                units[key], sums[key] = Unit(level, unit_id, "", court_id, division_id), counts
    for key, unit in units.items():
        unit.counts = {tag: dict(zip(sets, n)) for tag, n in zip(TAGS, sums[key])}
    return units


def _name_units(session, units: dict[tuple[str, int], Unit]) -> None:
    ids = {lvl: [i for (level, i) in units if level == lvl] for lvl in LEVELS}
    names = {
        "court": dict(session.exec(select(Court.id, Court.name).where(Court.id.in_(ids["court"]))).all()),
        "division": dict(session.exec(select(Division.id, Division.name).where(Division.id.in_(ids["division"]))).all()),
        "judge": dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids["judge"]))).all()),
    }
    court_ids = {u.court_id for u in units.values()}
    levels = dict(session.exec(select(Court.id, Court.level).where(Court.id.in_(court_ids))).all())
    for (level, unit_id), unit in units.items():
        unit.name = names[level].get(unit_id, f"#{unit_id}")
        unit.court_level = levels.get(unit.court_id)
