"""The monthly quality-review selection (案件质量评查抽样): focused categories and the routine draw."""
from dataclasses import asdict
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from prefect import flow

from services.review_sampling import sample_month
from store.db import Database, get_database

COURT_TZ = ZoneInfo("Asia/Shanghai")


@flow(name="quality-review-sampling", log_prints=True)
def quality_review_sampling(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Select the reviews of the month before `as_of` (default: today in Asia/Shanghai); safe to run twice."""
    now = datetime.now(timezone.utc)
    day = as_of or now.astimezone(COURT_TZ).date()
    if as_of is not None:
        now = datetime.combine(day, time(1, 0), tzinfo=COURT_TZ).astimezone(timezone.utc)
    db = Database(database_url) if database_url else get_database()
    result = sample_month(db, day, now)
    print(result)
    return asdict(result)
