"""趋势: one indicator of the catalogue as a series over the last 12 months or 9 quarters for a court, division
or judge, each point with its 环比 and 同比 and the reference band of its period; read in one pass over the
window (services/assessment/indicator_counts.py, one_pass), only the indicator's own sets."""
from policies.indicators import IndicatorPolicy, change, improving
from policies.periods import Period
from services.assessment.indicator_counts import add_into, case_counts

SERIES_LENGTH = {"month": 12, "quarter": 9}


def series_periods(end: Period) -> list[Period]:
    """The series ending with `end`, oldest first."""
    found = [end]
    while len(found) < SERIES_LENGTH[end.kind]:
        found.append(found[-1].previous())
    return found[::-1]


def indicator_trend(session, policy: IndicatorPolicy, name: str, end: Period, level: str, unit_id: int,
                    court_ids: list[int] | None = None, court_level: str | None = None) -> dict:
    """{"indicator", "kind", "points": [{period, value, previous, last_year, mom, yoy, improving, range, normal}]}."""
    shown = series_periods(end)
    needed = {p.label: p for q in shown for p in (q, q.previous(), q.same_last_year())}
    ind = policy.catalogue[name]
    values: dict[str, float | None] = {}
    if ind.awaiting is None:
        groups = case_counts(session, policy, needed, court_ids, policy.counts_for([name]), (level, unit_id), one_pass=True)
        for label in needed:
            total: dict[str, int] = {}
            for by_tag in groups.values():
                add_into(total, by_tag[label])
            values[label] = ind.value(total)
    points = []
    for p in shown:
        now, before, last_year = (values.get(x.label) for x in (p, p.previous(), p.same_last_year()))
        ref = policy.range_for(name, p.kind, court_level)
        points.append({"period": p.label, "value": now, "previous": before, "last_year": last_year,
                       "mom": change(now, before), "yoy": change(now, last_year),
                       "improving": improving(now, last_year, ind.better),
                       "range": {"low": ref.low, "high": ref.high} if ref else None,
                       "normal": ref.holds(now) if ref else None})
    return {"indicator": name, "kind": end.kind, "awaiting": ind.awaiting, "points": points}
