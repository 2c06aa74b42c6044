"""审判质效指标 (SPEC §8) per judge, division and court for a period, with 环比 and 同比.

The counts come from one set-based pass (services/assessment/indicator_counts.py); they are summed
from (court, division, judge) groups up to divisions and courts, and the ratios are taken
from the sums. Each value carries the policy's reference range and whether it lies inside.
"""
from dataclasses import dataclass, field

from sqlmodel import select

import i18n
from policies.indicators import AGE_BUCKETS, INDICATORS, IndicatorPolicy, change, indicator_values
from policies.periods import Period
from services.assessment.indicator_counts import add_into, case_counts, empty_counts
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
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {t: empty_counts() for t in TAGS})

    def as_dict(self, policy: IndicatorPolicy, period: Period) -> dict:
        values = {tag: indicator_values(self.counts[tag]) for tag in TAGS}
        rows = {}
        for name in INDICATORS:
            now, ref = values["current"][name], policy.range_for(name, period.kind)
            rows[name] = {"label": i18n.label("indicator", name, i18n.DEFAULT), "value": now, "previous": values["previous"][name],
                          "last_year": values["last_year"][name], "mom": change(now, values["previous"][name]),
                          "yoy": change(now, values["last_year"][name]),
                          "range": {"low": ref.low, "high": ref.high} if ref else None,
                          "normal": ref.holds(now) if ref else None}
        current = self.counts["current"]
        return {"level": self.level, "id": self.id, "name": self.name, "court_id": self.court_id,
                "division_id": self.division_id, "indicators": rows, "counts": dict(current),
                "age_profile": [{"label": i18n.label("age_bucket", str(i), i18n.DEFAULT), "pending": current[f"age_{i}"]} for i in range(len(AGE_BUCKETS))]}


def period_tags(period: Period) -> dict[str, Period]:
    return {"current": period, "previous": period.previous(), "last_year": period.same_last_year()}


def indicator_report(session, period: Period, policy: IndicatorPolicy, court_ids: list[int] | None = None,
                     levels: tuple[str, ...] = LEVELS) -> dict:
    """{"period", "previous", "last_year", "units": [court rows, division rows, judge rows]}."""
    groups = case_counts(session, policy, period_tags(period), court_ids)
    units = _roll_up(groups, levels)
    _name_units(session, units)
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = sorted(units.values(), key=lambda u: (order[u.level], u.court_id, u.division_id or 0, u.name))
    return {"period": period.label, "previous": period.previous().label, "last_year": period.same_last_year().label,
            "units": [u.as_dict(policy, period) for u in ordered]}


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
    for (level, unit_id), unit in units.items():
        unit.name = names[level].get(unit_id, f"#{unit_id}")
