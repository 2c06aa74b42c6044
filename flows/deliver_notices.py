"""Deliver due notices from the outbox, each at most once, surviving a run killed midway.

Each notice is claimed with a compare-and-set (pending → sending), sent, and its outcome
committed before the next one starts, so a kill loses at most the notice in flight. That
one stays 'sending'; once its claim is older than the policy's `stale_claim` the next run
takes it over. (If the kill fell between the send and the commit, that one notice is sent
again: the only way to promise "never lost" without a receipt from the channel.)
"""
from collections import Counter
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import and_, or_, update
from sqlmodel import select

from notifications import dispatch
from notifications.retry import DEFAULT_POLICY, RetryPolicy
from store.db import Database, get_database
from store.models import Notice


def find_due(database: Database, now: datetime, batch: int, policy: RetryPolicy = DEFAULT_POLICY) -> list[int]:
    """Ids of notices due now: pending and due, or stuck in 'sending' under a stale claim."""
    stale = and_(Notice.state == "sending", Notice.claimed_at < now - policy.stale_claim)
    due = and_(Notice.state == "pending", Notice.next_attempt_at <= now)
    with database.read() as session:
        stuck = session.exec(select(Notice.id).where(stale).order_by(Notice.claimed_at).limit(batch)).all()
        ready = session.exec(select(Notice.id).where(due).order_by(Notice.next_attempt_at, Notice.id).limit(batch)).all()
    return list(dict.fromkeys([*stuck, *ready]))[:batch]


def claim(database: Database, notice_id: int, now: datetime, policy: RetryPolicy = DEFAULT_POLICY) -> bool:
    """Compare-and-set pending (or stale sending) → sending; False when another run got there first."""
    claimable = or_(
        and_(Notice.state == "pending", Notice.next_attempt_at <= now),
        and_(Notice.state == "sending", Notice.claimed_at < now - policy.stale_claim),
    )
    stmt = update(Notice).where(Notice.id == notice_id, claimable).values(state="sending", claimed_at=now)
    with database.write() as session:
        return session.exec(stmt).rowcount == 1


@task(cache_policy=NO_CACHE)
def deliver_one(database: Database, notice_id: int, now: datetime, policy: RetryPolicy = DEFAULT_POLICY) -> str:
    """Claim, send and commit one notice; returns its new state ('taken' if another run had it)."""
    if not claim(database, notice_id, now, policy):
        return "taken"
    try:
        delivery = dispatch.deliver(database, notice_id)
    except Exception as exc:  # a bad row or a bug counts as a failed try, so one notice cannot block the queue
        delivery = dispatch.Delivery(error=f"{type(exc).__name__}: {exc}")
    with database.write() as session:
        return dispatch.record(session, notice_id, now, delivery, now, policy)


@flow(name="deliver-notices")
def deliver_notices(now: datetime | None = None, batch: int = 200, database_url: str | None = None) -> dict[str, int]:
    """Deliver up to `batch` due notices from the outbox; returns how many ended in each state."""
    now = _utc(now)
    database = Database(database_url) if database_url else get_database()
    try:
        counts = Counter(deliver_one(database, nid, now) for nid in find_due(database, now, batch))
    finally:
        if database_url:
            database.dispose()
    get_run_logger().info("notices delivered as of %s: %s", now.isoformat(), dict(counts) or "none due")
    return dict(counts)


def _utc(now: datetime | None) -> datetime:
    """Aware UTC: SQLite keeps a timestamp's wall time and drops its zone, so every write must be UTC."""
    if now is None:
        return datetime.now(timezone.utc)
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
