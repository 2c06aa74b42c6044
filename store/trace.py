"""The trace: append-only entries, each holding the keyed hash of itself and the one before.

The hash is an HMAC-SHA256 under the trace key (COURTFLOW_TRACE_KEY, never in the database), so
whoever can write the database but not read the key cannot append, edit or re-chain an entry that
verifies. A signed checkpoint of the chain's head, written daily, makes a shortened chain visible:
a chain cannot lose entries the last checkpoint saw.

Appends are serialized so the chain never forks: SQLite write sessions already run
under BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock is taken before
the tail is read (both in one round trip, `courtflow_locked_trace_tail`), and released by the commit.
Every append waits for the one before to commit, so the round trips between the lock and the commit bound
the rate of commands across all processes.

An append reads the tail and inserts the entry with two Core statements on the session's connection, not
through the ORM's unit of work: every command appends, and the ORM's select and flush cost five times the
statements themselves (0.5 ms of a 3 ms command). Only `append` writes entries, so the tail it reads is
never an entry the session holds unflushed.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import insert, text
from sqlmodel import Session, select

from store.config import get_settings
from store.jsonable import as_utc, jsonable, utc_text
from store.models import TraceCheckpoint, TraceEntry

GENESIS = "0" * 64
_ENTRIES = TraceEntry.__table__
_TAIL = select(_ENTRIES.c.seq, _ENTRIES.c.hash).order_by(_ENTRIES.c.seq.desc()).limit(1)
_LOCKED_TAIL = text("SELECT seq, hash FROM courtflow_locked_trace_tail()")
_INSERT = insert(_ENTRIES)


def _mac(body: list, key: bytes | None) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key or get_settings().trace_key_bytes(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def digest(entry: TraceEntry | SimpleNamespace, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the entry's fields and the previous hash under the trace key."""
    return _mac([
        entry.seq, utc_text(entry.at), entry.actor, entry.actor_id, entry.action,
        entry.subject_kind, entry.subject_id, entry.court_id, entry.why,
        entry.before, entry.after, entry.prev_hash,
    ], key)


def signature(checkpoint: TraceCheckpoint, key: bytes | None = None) -> str:
    return _mac(["checkpoint", checkpoint.day.isoformat(), checkpoint.seq, checkpoint.head_hash,
                 checkpoint.entry_count, utc_text(checkpoint.at)], key)


def _locked_tail(session: Session) -> tuple[int, str]:
    """The chain's last (seq, hash), read holding the chain's lock until the transaction ends."""
    conn = session.connection()
    tail = conn.execute(_LOCKED_TAIL if conn.dialect.name == "postgresql" else _TAIL).first()
    return (tail[0], tail[1]) if tail else (0, GENESIS)


def append(session: Session, *, at: datetime, actor: str, action: str, actor_id: int | None = None,
           subject_kind: str = "", subject_id: int | None = None, court_id: int | None = None,
           why: str = "", before: dict | None = None, after: dict | None = None) -> SimpleNamespace:
    """Write one entry to the chain inside the caller's transaction; returns the entry's fields as written (its
    `seq` and `hash` among them). The session's pending rows are written first, as the ORM's append did: callers
    read the ids of what they added before recording it. The fields are a plain namespace, not a TraceEntry:
    constructing the model cost 60 µs of every command."""
    session.flush()
    seq, prev_hash = _locked_tail(session)
    entry = SimpleNamespace(
        seq=seq + 1, at=as_utc(at), actor=actor, actor_id=actor_id, action=action,
        subject_kind=subject_kind, subject_id=subject_id, court_id=court_id, why=why,
        before=jsonable(before or {}), after=jsonable(after or {}), prev_hash=prev_hash,
    )
    entry.hash = digest(entry)
    session.connection().execute(_INSERT, vars(entry))
    return entry


@dataclass
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    checkpoints: int = 0


class TraceBroken(Exception):
    """The chain failed its check: nothing is signed over a break."""

    def __init__(self, verdict: Verdict):
        super().__init__(verdict.problem)
        self.verdict = verdict


def checkpoint(session: Session, day: date, at: datetime) -> TraceCheckpoint | None:
    """Sign the chain's head for `day` after checking the entries since the last checkpoint.

    None when the day has its checkpoint already; TraceBroken when the check fails."""
    seq, head = _locked_tail(session)  # no entry is appended until this transaction ends
    if session.exec(select(TraceCheckpoint.id).where(TraceCheckpoint.day == day)).first():
        return None
    last = session.exec(select(TraceCheckpoint).order_by(TraceCheckpoint.seq.desc()).limit(1)).first()
    verdict = verify(session, since=last)
    if not verdict.ok:
        raise TraceBroken(verdict)
    mark = TraceCheckpoint(day=day, seq=seq, head_hash=head, entry_count=seq, at=as_utc(at), signature="")
    mark.signature = signature(mark)
    session.add(mark)
    session.flush()
    return mark


def verify(session: Session, chunk: int = 5000, *, since: TraceCheckpoint | None = None) -> Verdict:
    """Walk the chain in order; name the first entry that was edited, removed, reordered, inserted or forged.

    Every checkpoint must carry the key's signature and find its head in the chain; a chain shorter
    than a checkpoint lost its tail. `since` starts the walk at a checkpoint already trusted."""
    marks = _checkpoints(session)
    if isinstance(marks, Verdict):
        return marks
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    if since is not None and since.seq > 0:  # the walk starts at the checkpointed head, which must still be there
        expected_seq, prev_hash, checked = since.seq, None, since.seq - 1
    while True:
        rows = session.exec(
            select(TraceEntry).where(TraceEntry.seq >= expected_seq).order_by(TraceEntry.seq).limit(chunk)
        ).all()
        if not rows:
            return _shortened(marks, checked) or Verdict(True, checked, checkpoints=_count(marks))
        for entry in rows:
            problem = _problem(entry, expected_seq, prev_hash) or _off_checkpoint(entry, marks)
            if problem:
                return Verdict(False, checked, entry.seq, problem, _count(marks))
            expected_seq, prev_hash, checked = entry.seq + 1, entry.hash, checked + 1


def _checkpoints(session: Session) -> dict[int, list[TraceCheckpoint]] | Verdict:
    """The checkpoints by the seq they saw; a checkpoint not signed by the key is itself a break."""
    marks: dict[int, list[TraceCheckpoint]] = {}
    for mark in session.exec(select(TraceCheckpoint).order_by(TraceCheckpoint.day)).all():
        if not hmac.compare_digest(signature(mark), mark.signature) or mark.entry_count != mark.seq:
            return Verdict(False, 0, mark.seq, f"the checkpoint of {mark.day} is not signed with the trace key: "
                                               f"forged or edited")
        marks.setdefault(mark.seq, []).append(mark)
    return marks


def _problem(entry: TraceEntry, expected_seq: int, prev_hash: str | None) -> str:
    if entry.seq != expected_seq:
        return f"entry {expected_seq} is missing (next found is {entry.seq}): removed"
    if prev_hash is not None and entry.prev_hash != prev_hash:
        return f"entry {entry.seq} does not follow entry {entry.seq - 1}: removed, inserted or reordered"
    if not hmac.compare_digest(digest(entry), entry.hash):
        return f"entry {entry.seq} does not match its hash: edited, or written without the trace key"
    return ""


def _off_checkpoint(entry: TraceEntry, marks: dict[int, list[TraceCheckpoint]]) -> str:
    for mark in marks.get(entry.seq, ()):
        if mark.head_hash != entry.hash:
            return f"entry {entry.seq} is not the entry the checkpoint of {mark.day} signed: the chain was rewritten"
    return ""


def _shortened(marks: dict[int, list[TraceCheckpoint]], length: int) -> Verdict | None:
    """The chain ends before the newest checkpoint's head: its tail was removed."""
    if not marks or max(marks) <= length:
        return None
    mark = marks[max(marks)][-1]
    removed = f"entry {mark.seq} was" if mark.seq == length + 1 else f"entries {length + 1}–{mark.seq} were"
    return Verdict(False, length, length + 1,
                   f"the chain ends at entry {length} but the checkpoint of {mark.day} signed {mark.seq} entries: "
                   f"{removed} removed", _count(marks))


def _count(marks: dict[int, list[TraceCheckpoint]]) -> int:
    return sum(len(day_marks) for day_marks in marks.values())
