"""The monthly quality-review selection (案件质量评查抽样): focused categories and the routine draw."""
from dataclasses import asdict
from datetime import date, time

from prefect import flow

from flows.run_context import court_clock, flow_database
from flows.run_log import recorded
from services.review_sampling import sample_month


@flow(name="quality-review-sampling", log_prints=True)
@recorded("quality-review-sampling")
def quality_review_sampling(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Select the reviews of the month before `as_of` (default: today in Asia/Shanghai); safe to run twice."""
    day, now = court_clock(as_of, time(1, 0))
    db = flow_database(database_url)
    result = sample_month(db, day, now)
    print(result)
    return asdict(result)
