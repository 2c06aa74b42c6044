"""Named leases in the database: at most one holder of a job at a time, on SQLite and PostgreSQL, with or
without a Prefect server.

A lease is one row (name, holder, held_until). It is taken by a compare-and-set UPDATE that only matches
a free or expired row, so of two runs starting together exactly one gets it (PostgreSQL re-checks the
WHERE after the first writer commits; SQLite's BEGIN IMMEDIATE serialises the writers). The holder renews
it while working; a holder that dies stops renewing and the lease is taken over once it has expired.
"""
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session

from store.bulk import insert_ignoring_duplicates
from store.models import RunLease


def acquire(session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take the lease for `ttl` if it is free, expired or already ours; False while another holds it."""
    insert_ignoring_duplicates(session, RunLease, [dict(name=name, holder=None, held_until=None)], ["name"])
    free = or_(RunLease.holder.is_(None), RunLease.held_until < now, RunLease.holder == holder)
    stmt = update(RunLease).where(RunLease.name == name, free).values(holder=holder, held_until=now + ttl)
    return session.exec(stmt).rowcount == 1


def renew(session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Extend our lease; False when it is no longer ours (it expired and another run took it)."""
    stmt = (update(RunLease).where(RunLease.name == name, RunLease.holder == holder)
            .values(held_until=now + ttl))
    return session.exec(stmt).rowcount == 1


def release(session: Session, name: str, holder: str) -> None:
    """Give the lease back so the next run need not wait for it to expire."""
    stmt = (update(RunLease).where(RunLease.name == name, RunLease.holder == holder)
            .values(holder=None, held_until=None))
    session.exec(stmt)
