"""审判质效指标 (SPEC §8) per judge, division and court for a period, with 环比 and 同比.

The counts come from one set-based pass (services/assessment/indicator_counts.py); they are summed
from (court, division, judge) groups up to divisions and courts, and the ratios are taken
from the sums. Each value carries the policy's reference range and whether it lies inside.
"""
from dataclasses import dataclass, field

from sqlmodel import select

import i18n
from policies.indicators import AGE_BUCKETS, IndicatorPolicy, change, improving
from policies.periods import Period
from services.assessment.indicator_counts import add_into, case_counts
from store.models import Court, Division, User

TAGS = ("current", "previous", "last_year")
LEVELS = ("court", "division", "judge")


@dataclass
class Unit:
    level: str
    id: int
    name: str
    court_id: int
    division_id: int | None = None
    court_level: str | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {t: {} for t in TAGS})

    def as_dict(self, policy: IndicatorPolicy, period: Period, labels: dict[str, str] | None = None,
                ranges: dict | None = None) -> dict:
        labels = labels or {name: indicator_label(policy, name) for name in policy.catalogue}
        ranges = {} if ranges is None else ranges
        values = {tag: policy.values(self.counts[tag]) for tag in TAGS}
        rows = {}
        for name in policy.catalogue:
            key = (name, self.court_level)
            if key not in ranges:  # the same few ranges for thousands of units: looked up once
                ranges[key] = policy.range_for(name, period.kind, self.court_level)
            rows[name] = self._row(policy, name, labels[name], ranges[key], {tag: values[tag][name] for tag in TAGS})
        current = self.counts["current"]
        return {"level": self.level, "id": self.id, "name": self.name, "court_id": self.court_id,
                "division_id": self.division_id, "indicators": rows, "counts": dict(current),
                "improving": sum(1 for r in rows.values() if r["improving"]),
                "comparable": sum(1 for r in rows.values() if r["yoy"] is not None),
                "age_profile": [{"label": i18n.label("age_bucket", str(i), i18n.DEFAULT), "pending": current.get(f"age_{i}", 0)}
                                for i in range(len(AGE_BUCKETS))]}

    @staticmethod
    def _row(policy: IndicatorPolicy, name: str, label: str, ref, v: dict) -> dict:
        ind, now = policy.catalogue[name], v["current"]
        return {"label": label, "group": ind.group, "source": ind.source,
                "awaiting": ind.awaiting, "better": ind.better, "sets": {"numerator": ind.numerator, "denominator": ind.denominator}, "value": now, "previous": v["previous"],
                "last_year": v["last_year"], "mom": change(now, v["previous"]), "yoy": change(now, v["last_year"]),
                "improving": improving(now, v["last_year"], ind.better),
                "range": {"low": ref.low, "high": ref.high} if ref else None,
                "normal": ref.holds(now) if ref else None}


def indicator_label(policy: IndicatorPolicy, name: str, lang: str | None = i18n.DEFAULT) -> str:
    """Its word in the catalog, or the title a court gave the indicator it added."""
    word = i18n.label("indicator", name, lang)
    titles = policy.catalogue[name].title
    if word != name or not titles:
        return word
    return titles.get(lang or i18n.DEFAULT) or next(iter(titles.values()))


def period_tags(period: Period) -> dict[str, Period]:
    return {"current": period, "previous": period.previous(), "last_year": period.same_last_year()}


def indicator_report(session, period: Period, policy: IndicatorPolicy, court_ids: list[int] | None = None,
                     levels: tuple[str, ...] = LEVELS) -> dict:
    """{"period", "previous", "last_year", "units": [court rows, division rows, judge rows]}."""
    groups = case_counts(session, policy, period_tags(period), court_ids)
    units = _roll_up(groups, levels)
    _name_units(session, units)
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    labels, ranges = {name: indicator_label(policy, name) for name in policy.catalogue}, {}
    ordered = sorted(units.values(), key=lambda u: (order[u.level], u.court_id, u.division_id or 0, u.name))
    return {"period": period.label, "previous": period.previous().label, "last_year": period.same_last_year().label,
            "units": [u.as_dict(policy, period, labels, ranges) for u in ordered]}


def _roll_up(groups: dict, levels: tuple[str, ...]) -> dict[tuple[str, int], Unit]:
    units: dict[tuple[str, int], Unit] = {}
    for (court, division, judge), by_tag in groups.items():
        targets = [("court", court, court, None)]
        if division is not None:
            targets.append(("division", division, court, division))
        if judge is not None:
            targets.append(("judge", judge, court, division))
        for level, unit_id, court_id, division_id in targets:
            if level not in levels:
                continue
            unit = units.setdefault((level, unit_id), Unit(level, unit_id, "", court_id, division_id))
            for tag in TAGS:
                add_into(unit.counts[tag], by_tag[tag])
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
