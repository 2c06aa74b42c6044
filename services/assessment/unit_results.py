"""全院目标考核、部门业绩考核 (三位一体 with the individual records): each court's and division's month
against its targets, from policy: the reference range (indicators.yaml, for a month) of each indicator
`assessment.unit_targets` names, and the year's closure task paced to the month (the sum of its judges'
weighted closures against the sum of their targets). One UnitResult per unit and month; the score is
the share of targets met. The 双排名 of divisions reads these rows only where rankings are switched on.
"""
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from policies.assessment import AssessmentPolicy, task_met
from policies.periods import Period
from services.assessment.indicator_counts import add_into
from services.kernel.policy import policy
from store.bulk import insert_many_ignoring_duplicates
from store.models import Division, UnitResult

CLOSURE_TASK = "closure_task"  # its word, like the indicators', is the catalog's `indicator.<name>`


def _unit_counts(units: dict[tuple, dict]) -> dict[tuple[str, int], dict]:
    """The month's counts per (court, division) summed up to each division and court."""
    found: dict[tuple[str, int], dict] = defaultdict(dict)
    for (court, division), counts in units.items():
        add_into(found[("court", court)], counts)
        if division is not None:
            add_into(found[("division", division)], counts)
    return found


def _tasks(judge_rows: list[dict]) -> dict[tuple[str, int], list[float]]:
    tasks: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in judge_rows:
        for key in (("court", row["court_id"]), ("division", row["division_id"])):
            if key[1] is not None:
                tasks[key][0] += row["quantity"]
                tasks[key][1] += row["target"]
    return tasks


def unit_rows(session, pol: AssessmentPolicy, court_ids: list[int], month: Period, judge_rows: list[dict],
              figures) -> list[dict]:
    """`figures`: the month's MonthFigures, whose pass over the cases gathered the targets' counts."""
    indicators = policy(session, court_ids[0], "indicators")
    counts, tasks = _unit_counts(figures.units), _tasks(judge_rows)
    courts = dict(session.execute(select(Division.id, Division.court_id).where(Division.court_id.in_(court_ids))).all())
    rows = []
    for (level, unit_id) in sorted(set(counts) | set(tasks)):
        values = indicators.values(counts.get((level, unit_id), {}), pol.unit_targets.indicators)
        detail = {}
        for name in pol.unit_targets.indicators:
            ref = indicators.range_for(name, month.kind)
            if ref is not None:
                detail[name] = {"value": values[name], "low": ref.low, "high": ref.high,
                                "met": bool(ref.holds(values[name])) if values[name] is not None else None}
        done, target = tasks.get((level, unit_id), (0.0, 0.0))
        detail[CLOSURE_TASK] = {"value": round(done, 4), "low": round(target, 4),
                                "high": None, "met": task_met(done, target)}
        judged = [d["met"] for d in detail.values() if d["met"] is not None]
        rows.append(dict(level=level, unit_id=unit_id, court_id=unit_id if level == "court" else courts[unit_id],
                         period=month.label, targets_met=sum(judged), targets=len(judged),
                         score=round(100 * sum(judged) / len(judged), 2) if judged else 0.0, detail=detail,
                         created_at=None))
    return rows


def record_unit_results(session, pol: AssessmentPolicy, court_ids: list[int], month: Period, judge_rows: list[dict],
                        figures, now: datetime) -> int:
    rows = unit_rows(session, pol, court_ids, month, judge_rows, figures)
    for row in rows:
        row["created_at"] = now
    return insert_many_ignoring_duplicates(session, UnitResult, rows, ["level", "unit_id", "period"])
