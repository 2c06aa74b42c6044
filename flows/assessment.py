"""Assessment flows: the monthly assessment (月考核), the weekly notice (周通报), the quarterly report."""
from datetime import date, datetime, time, timezone

from prefect import flow

from flows.daily_monitor import COURT_TZ
from services.assessment import run_monthly_assessment
from services.reports import quarterly_report, weekly_notice
from store.db import Database, get_database


def _clock(as_of: date | None) -> tuple[date, datetime]:
    now = datetime.now(timezone.utc)
    if as_of is None:
        return now.astimezone(COURT_TZ).date(), now
    return as_of, datetime.combine(as_of, time(1, 0), tzinfo=COURT_TZ).astimezone(timezone.utc)


def _db(database_url: str | None) -> Database:
    return Database(database_url) if database_url else get_database()


@flow(name="monthly-assessment", log_prints=True)
def monthly_assessment(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Assess the last whole month before `as_of` (and any month missed since the last run)."""
    day, now = _clock(as_of)
    result = run_monthly_assessment(_db(database_url), day, now)
    print(result)
    return result


@flow(name="weekly-notice", log_prints=True)
def weekly_notice_flow(as_of: date | None = None, database_url: str | None = None) -> dict:
    """周通报 of the last whole week before `as_of`, with the weekly commitments checked."""
    day, now = _clock(as_of)
    with _db(database_url).write() as session:
        result = weekly_notice(session, day, now)
    print(result)
    return result


@flow(name="quarterly-report", log_prints=True)
def quarterly_report_flow(as_of: date | None = None, database_url: str | None = None) -> dict:
    """The quarterly report of the last whole quarter before `as_of`."""
    day, now = _clock(as_of)
    with _db(database_url).write() as session:
        result = quarterly_report(session, day, now)
    print(result)
    return result
