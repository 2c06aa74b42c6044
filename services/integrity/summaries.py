"""Each court's quarter of interference records and monthly reports, summed for the court above: its trial
office and inspection get the summary (counts only: who recorded and who was named stay in the records)."""
from collections import Counter
from datetime import date, datetime

from sqlmodel import Session, select

from services.integrity.reports import month_end
from services.kernel.access import court_path
from services.kernel.policy import policy
from store.jsonable import as_utc
from store.models import Court, InterferenceRecord, InterferenceReport, InterferenceSummary
from store.outbox import enqueue
from store.recipients import holders

NOTICE = "interference_quarterly_summary"


def last_quarter(as_of: date, day: int) -> str | None:
    """The quarter summed from `day` of the month after it until that month ends (None on other days)."""
    if as_of.month not in (1, 4, 7, 10) or as_of.day < day:
        return None
    year, quarter = (as_of.year - 1, 4) if as_of.month == 1 else (as_of.year, (as_of.month - 1) // 3)
    return f"{year}Q{quarter}"


def months_of(quarter: str) -> list[str]:
    year, number = int(quarter[:4]), int(quarter[-1])
    return [f"{year:04d}-{m:02d}" for m in range(3 * number - 2, 3 * number + 1)]


def write_summaries(session: Session, as_of: date, now: datetime) -> int:
    """The quarter's summary of every court below another, once each, with its notices."""
    done = set(session.exec(select(InterferenceSummary.court_id, InterferenceSummary.quarter)).all())
    written = 0
    for court in session.exec(select(Court).where(Court.parent_id.is_not(None)).order_by(Court.id)).all():
        rules = policy(session, court.id, "integrity").quarterly_summary
        quarter = last_quarter(as_of, rules.day)
        if quarter is None or (court.id, quarter) in done:
            continue
        summary = InterferenceSummary(court_id=court.id, to_court_id=court.parent_id, quarter=quarter,
                                      figures=figures(session, court.id, quarter), written_at=as_utc(now))
        session.add(summary)
        session.flush()
        recipients = {u for role in rules.to_roles for u in holders(session, role, court.parent_id, on=as_of)}
        enqueue(session, kind=NOTICE, recipients=recipients, dedupe_key=f"{NOTICE}:{summary.id}", at=now,
                context={"court": court.name, "quarter": quarter, **summary.figures}, court_id=court.parent_id)
        written += 1
    return written


def figures(session: Session, court_id: int, quarter: str) -> dict:
    months = months_of(quarter)
    start, end = date(int(months[0][:4]), int(months[0][5:]), 1), month_end(months[-1])
    records = session.exec(select(InterferenceRecord.source, InterferenceRecord.manner).where(
        InterferenceRecord.court_id == court_id, InterferenceRecord.occurred_on.between(start, end))).all()
    reports = session.exec(select(InterferenceReport.state, InterferenceReport.zero).where(
        InterferenceReport.court_id == court_id, InterferenceReport.month.in_(months))).all()
    sources, manners = Counter(s for s, _ in records), Counter(m for _, m in records)
    return {"records": len(records), "inside": sources["inside"], "outside": sources["outside"],
            "by_manner": dict(sorted(manners.items())), "reports_due": len(reports),
            "reports_filed": sum(1 for state, _ in reports if state == "filed"),
            "zero_reports": sum(1 for state, zero in reports if state == "filed" and zero),
            "reports_missing": sum(1 for state, _ in reports if state != "filed")}


def summaries_for(session: Session, actor) -> list[InterferenceSummary]:
    """The summaries sent to a court where the actor holds one of the recipient roles court-wide."""
    courts = {g.court_id for g in actor.grants if g.division_id is None}
    rows = session.exec(select(InterferenceSummary).where(InterferenceSummary.to_court_id.in_(courts)).order_by(InterferenceSummary.quarter.desc(),
                                                             InterferenceSummary.court_id)).all()
    return [s for s in rows if actor.roles_at(s.to_court_id, court_path(session, s.to_court_id), None)
            & set(policy(session, s.court_id, "integrity").quarterly_summary.to_roles)]
