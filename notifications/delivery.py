"""The delivery run: deliver due notices from the outbox, each once as far as its receiver can tell,
surviving a run killed at any point. No Prefect here: the flow (flows/deliver_notices.py) calls
`deliver_due`, and so can a plain process.

- One run at a time: a run first takes the database lease `deliver-notices` (store/leases.py); a run
  that finds it held (the previous minute's run is still working) returns {'busy': 1} at once.
- Each notice is claimed by compare-and-set (pending, or 'sending' under an expired lease → sending)
  with a fresh claim token and a lease `claimed_until`, stamped with the clock at the moment of the
  claim, not the run's start. A heartbeat renews the run's lease and the claim in flight while a
  send is under way, so a slow run keeps what it holds and only a dead or hung run's claims expire.
- The outcome is written only while our claim token still holds (dispatch.record).
- A kill between a send and its record means the next run sends that notice again: the only way to
  promise "never lost" without a receipt from the channel. The repeat carries the same idempotency
  key as the first copy (dispatch.idempotency_key), so the receiver can tell.
"""
import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, or_, update
from sqlmodel import select

from notifications import dispatch
from notifications.retry import DEFAULT_POLICY, RetryPolicy
from store import leases
from store.db import Database
from store.models import Notice

LEASE = "deliver-notices"
logger = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def run_clock(start: datetime) -> Clock:
    """A clock that starts at `start` and advances in real time: claims made late in a long run carry
    the time they were made, and a run given `now` (a catch-up, a test) keeps its own time line."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def find_due(database: Database, now: datetime, at: datetime, batch: int) -> list[int]:
    """Ids of notices due at `now`: pending and due, or 'sending' under a claim whose lease expired by `at`."""
    expired = and_(Notice.state == "sending", Notice.claimed_until < at)
    due = and_(Notice.state == "pending", Notice.next_attempt_at <= now)
    with database.read() as session:
        stuck = session.exec(select(Notice.id).where(expired).order_by(Notice.claimed_until).limit(batch)).all()
        ready = session.exec(select(Notice.id).where(due).order_by(Notice.next_attempt_at, Notice.id).limit(batch)).all()
    return list(dict.fromkeys([*stuck, *ready]))[:batch]


def claim(database: Database, notice_id: int, now: datetime, at: datetime, token: str,
          policy: RetryPolicy = DEFAULT_POLICY) -> bool:
    """Compare-and-set pending (due at `now`) or expired 'sending' → sending under `token`, leased from
    `at` (the clock now); False when another run holds it or got there first."""
    claimable = or_(
        and_(Notice.state == "pending", Notice.next_attempt_at <= now),
        and_(Notice.state == "sending", Notice.claimed_until < at),
    )
    stmt = (update(Notice).where(Notice.id == notice_id, claimable)
            .values(state="sending", claimed_at=at, claimed_until=at + policy.lease, claim_token=token))
    with database.write() as session:
        return session.exec(stmt).rowcount == 1


class Heartbeat(threading.Thread):
    """Renews the run's lease and the claim being sent every `policy.renew_every` until stopped; notes
    when the run's lease was lost (it hung past its lease and another run took over)."""

    def __init__(self, database: Database, holder: str, clock: Clock, policy: RetryPolicy):
        super().__init__(name="deliver-notices-heartbeat", daemon=True)
        self.database, self.holder, self.clock, self.policy = database, holder, clock, policy
        self.sending: tuple[int, str] | None = None
        self.lost = False
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.policy.renew_every.total_seconds()):
            try:
                self.beat()
            except Exception:  # the database blinked: try again next beat; the lease outlasts two misses
                logger.warning("could not renew the delivery lease", exc_info=True)

    def beat(self) -> None:
        at, sending = self.clock(), self.sending
        with self.database.write() as session:
            self.lost = not leases.renew(session, LEASE, self.holder, at, self.policy.lease)
            if sending:
                session.exec(update(Notice).where(Notice.id == sending[0], Notice.claim_token == sending[1])
                             .values(claimed_until=at + self.policy.lease))

    def stop(self) -> None:
        self._stopped.set()
        self.join()


def deliver_one(database: Database, notice_id: int, now: datetime, clock: Clock, heartbeat: Heartbeat,
                policy: RetryPolicy = DEFAULT_POLICY) -> str:
    """Claim, send and record one notice; returns its new state ('taken' if another run had it)."""
    token = uuid.uuid4().hex
    if not claim(database, notice_id, now, clock(), token, policy):
        return "taken"
    heartbeat.sending = (notice_id, token)
    try:
        delivery = dispatch.deliver(database, notice_id)
    except Exception as exc:  # a bad row or a bug counts as a failed try, so one notice cannot block the queue
        delivery = dispatch.Delivery(error=f"{type(exc).__name__}: {exc}")
    finally:
        heartbeat.sending = None
    with database.write() as session:
        return dispatch.record(session, notice_id, token, delivery, now, policy)


def deliver_due(database: Database, now: datetime | None = None, batch: int = 200,
                policy: RetryPolicy = DEFAULT_POLICY) -> dict:
    """The delivery run without Prefect, as of `now` (default: the wall clock): take the run lease,
    deliver up to `batch` due notices, give the lease back. {'busy': 1} when another run holds the lease."""
    now, holder = _utc(now or datetime.now(timezone.utc)), uuid.uuid4().hex
    clock = run_clock(now)
    with database.write() as session:
        if not leases.acquire(session, LEASE, holder, now, policy.lease):
            return {"busy": 1}
    heartbeat = Heartbeat(database, holder, clock, policy)
    heartbeat.start()
    counts = Counter()
    try:
        for notice_id in find_due(database, now, clock(), batch):
            if heartbeat.lost:
                break
            counts[deliver_one(database, notice_id, now, clock, heartbeat, policy)] += 1
    finally:
        heartbeat.stop()
        with database.write() as session:
            leases.release(session, LEASE, holder)
    return dict(counts)


def _utc(now: datetime) -> datetime:
    """Aware UTC: SQLite keeps a timestamp's wall time and drops its zone, so every write must be UTC."""
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
