"""Assessment flows: the monthly assessment (月考核), the weekly notice (周通报), the quarterly report."""
from datetime import date, time

from prefect import flow

from flows.run_context import court_clock, flow_database
from flows.run_log import recorded
from policies.periods import month_before, periods_ending_with
from services.assessment.alerts import raise_alerts
from services.assessment.analysis import make_analysis_reports
from services.assessment.monthly import run_monthly_assessment
from services.assessment.reports import quarterly_report, weekly_notice


RUNS_AT = time(1, 0)  # the court day's hour these flows are scheduled for


@flow(name="monthly-assessment", log_prints=True)
@recorded("monthly-assessment")
def monthly_assessment(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Assess the last whole month before `as_of` (and any month missed since the last run)."""
    day, now = court_clock(as_of, RUNS_AT)
    db = flow_database(database_url)
    result = run_monthly_assessment(db, day, now)
    with db.write() as session:  # 预警: the month's figures (and the quarter's, half's, year's ending with it)
        result["alerts"] = [raise_alerts(session, p, now) for p in periods_ending_with(month_before(day))]
    with db.write() as session:  # 审判管理报告: monthly, and quarterly, half-year, annual when one ends
        result["analysis"] = [make_analysis_reports(session, p, now) for p in periods_ending_with(month_before(day))]
    print(result)
    return result


@flow(name="weekly-notice", log_prints=True)
@recorded("weekly-notice")
def weekly_notice_flow(as_of: date | None = None, database_url: str | None = None) -> dict:
    """周通报 of the last whole week before `as_of`, with the weekly commitments checked."""
    day, now = court_clock(as_of, RUNS_AT)
    with flow_database(database_url).write() as session:
        result = weekly_notice(session, day, now)
    print(result)
    return result


@flow(name="quarterly-report", log_prints=True)
@recorded("quarterly-report")
def quarterly_report_flow(as_of: date | None = None, database_url: str | None = None) -> dict:
    """The quarterly report of the last whole quarter before `as_of`."""
    day, now = court_clock(as_of, RUNS_AT)
    with flow_database(database_url).write() as session:
        result = quarterly_report(session, day, now)
    print(result)
    return result
