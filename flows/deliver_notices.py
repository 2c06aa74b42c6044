"""The scheduled flow that delivers the outbox every minute; the work is notifications/delivery.py."""
from datetime import datetime

from prefect import flow, get_run_logger

from flows.run_context import flow_database
from flows.run_log import recorded
from notifications.delivery import deliver_due


@flow(name="deliver-notices")
@recorded("deliver-notices")
def deliver_notices(now: datetime | None = None, batch: int = 200, database_url: str | None = None) -> dict[str, int]:
    """Deliver up to `batch` due notices from the outbox as of `now` (default: the wall clock); returns how
    many ended in each state, or {'busy': 1} when the previous run is still delivering."""
    database = flow_database(database_url)
    try:
        counts = deliver_due(database, now, batch)
    finally:
        if database_url:
            database.dispose()
    get_run_logger().info("notices delivered as of %s: %s", now or "now", counts or "none due")
    return counts
