"""预警 (issue 21): a court's or division's indicator outside its reference range for a period becomes one
IndicatorAlert (unique per unit, indicator and period in the database) and one notice per member of the
trial office of the court — and of the higher court, by policy — with the figure, the range and the link to
its drill-down. Each court is judged by its own indicators policy (its overrides: ranges, lines, which levels
and periods alert). Only grants in force on the day of the run count. Running again adds nothing: the alert
and the notices are keyed."""
from datetime import datetime
from functools import cache

from sqlalchemy import select

from policies.periods import Period
from services.assessment.indicators import indicator_label, reports_by_policy
from services.kernel.clock import local_today
from services.kernel.policy import policy
from store.bulk import insert_ignoring_duplicates
from store.models import Court, IndicatorAlert, Notice
from store.recipients import holders


def raise_alerts(session, period: Period, now: datetime) -> dict:
    courts = {c.id: c for c in session.execute(select(Court).order_by(Court.id)).scalars()}
    rows, names = [], {}
    for pol, report in reports_by_policy(session, period, levels=("court", "division")):
        names.update(((u["level"], u["id"]), u["name"]) for u in report["units"])
        if period.kind not in pol.alerts.period_kinds:
            continue
        rows += [dict(level=u["level"], unit_id=u["id"], court_id=u["court_id"], indicator=name, period=period.label,
                      value=r["value"], low=r["range"]["low"], high=r["range"]["high"], created_at=now)
                 for u in report["units"] if u["level"] in pol.alerts.levels
                 for name, r in u["indicators"].items() if r["normal"] is False]
    added = sum(insert_ignoring_duplicates(session, IndicatorAlert, rows[i:i + 200],
                                           ["level", "unit_id", "indicator", "period"]) for i in range(0, len(rows), 200))
    notices = _notices(session, courts, names, period, now)
    return {"period": period.label, "alerts": added, "notices": notices}


def _notices(session, courts: dict, names: dict, period: Period, now: datetime) -> int:
    alerts = session.execute(select(IndicatorAlert).where(IndicatorAlert.period == period.label)).scalars().all()
    day = local_today(now)

    @cache
    def office(court_id: int) -> frozenset[int]:
        return frozenset(holders(session, "trial_office", court_id, on=day))

    @cache
    def policy_of(court_id: int):
        return policy(session, court_id, "indicators")

    rows = []
    for a in alerts:
        court, pol = courts[a.court_id], policy_of(a.court_id)
        told = office(court.id)
        if pol.alerts.tell_higher_court and court.parent_id is not None:
            told |= office(court.parent_id)
        context = {"court": court.name, "unit": names.get((a.level, a.unit_id), court.name),
                   "indicator": indicator_label(pol, a.indicator) if a.indicator in pol.catalogue else a.indicator,
                   "period": a.period, "value": a.value, "low": a.low, "high": a.high, "url": drill_down_url(a)}
        rows += [dict(dedupe_key=f"indicator_alert:{a.id}:u{u}", kind="indicator_alert", recipient_user_id=u,
                      court_id=a.court_id, subject_kind="", subject_id=None, context=context,
                      state="pending", attempts=0, next_attempt_at=now, created_at=now, last_error="")
                 for u in sorted(told)]
    return sum(insert_ignoring_duplicates(session, Notice, rows[i:i + 200], ["dedupe_key"]) for i in range(0, len(rows), 200))


def drill_down_url(a: IndicatorAlert) -> str:
    return (f"/dashboard/indicators/{a.indicator}/cases?level={a.level}&unit_id={a.unit_id}"
            f"&court_id={a.court_id}&period={a.period}")
