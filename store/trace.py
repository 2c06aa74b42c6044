"""The trace: append-only entries, each holding the hash of the one before.

Appends are serialized so the chain never forks: SQLite write sessions already run
under BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock is taken before
the tail is read, and released by the commit.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, select

from store.jsonable import jsonable, utc_text
from store.models import TraceEntry

GENESIS = "0" * 64
_LOCK_KEY = 7260001


def digest(entry: TraceEntry) -> str:
    body = [
        entry.seq, utc_text(entry.at), entry.actor, entry.actor_id, entry.action,
        entry.subject_kind, entry.subject_id, entry.court_id, entry.why,
        entry.before, entry.after, entry.prev_hash,
    ]
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_tail(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:k)").bindparams(k=_LOCK_KEY))


def append(session: Session, *, at: datetime, actor: str, action: str, actor_id: int | None = None,
           subject_kind: str = "", subject_id: int | None = None, court_id: int | None = None,
           why: str = "", before: dict | None = None, after: dict | None = None) -> TraceEntry:
    """Add one entry to the chain inside the caller's transaction."""
    _lock_tail(session)
    tail = session.exec(select(TraceEntry.seq, TraceEntry.hash).order_by(TraceEntry.seq.desc()).limit(1)).first()
    entry = TraceEntry(
        seq=(tail[0] + 1) if tail else 1, at=at, actor=actor, actor_id=actor_id, action=action,
        subject_kind=subject_kind, subject_id=subject_id, court_id=court_id, why=why,
        before=jsonable(before or {}), after=jsonable(after or {}), prev_hash=tail[1] if tail else GENESIS,
    )
    entry.hash = digest(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(session: Session, chunk: int = 5000) -> Verdict:
    """Walk the chain in order; name the first entry that was edited, removed or reordered."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    while True:
        rows = session.exec(
            select(TraceEntry).where(TraceEntry.seq >= expected_seq).order_by(TraceEntry.seq).limit(chunk)
        ).all()
        if not rows:
            return Verdict(True, checked)
        for entry in rows:
            problem = _problem(entry, expected_seq, prev_hash)
            if problem:
                return Verdict(False, checked, entry.seq, problem)
            expected_seq, prev_hash, checked = entry.seq + 1, entry.hash, checked + 1


def _problem(entry: TraceEntry, expected_seq: int, prev_hash: str) -> str:
    if entry.seq != expected_seq:
        return f"entry {expected_seq} is missing (next found is {entry.seq}): removed"
    if entry.prev_hash != prev_hash:
        return f"entry {entry.seq} does not follow entry {entry.seq - 1}: removed, inserted or reordered"
    if digest(entry) != entry.hash:
        return f"entry {entry.seq} does not match its hash: edited"
    return ""
