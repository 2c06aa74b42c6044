"""Evidence files on disk, stored with their row or not at all.

The bytes are written to a staging file first; only when the transaction that adds the
row commits is the file renamed into place (named by its SHA-256, so a second copy of the
same bytes is the same file). A rollback deletes the staging file. A reader checks the
checksum, so a file changed on disk is noticed, never served silently.

An upload is streamed (Receiver): written to its staging file chunk by chunk with the size limit
enforced and the checksum computed as it arrives, never held whole in memory.
"""
import hashlib
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session

from store.config import get_settings


class EvidenceCorrupted(RuntimeError):
    """The stored bytes no longer match the checksum kept with the row."""


def evidence_root() -> Path:
    return get_settings().evidence_root


def storage_key(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


def _staging_file() -> tuple[int, str]:
    staging = evidence_root() / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(dir=staging, prefix="upload-")


def stage(session: Session, data: bytes, sha256: str) -> str:
    """Write the bytes to a staging file that becomes the stored file when `session` commits."""
    fd, tmp = _staging_file()
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return _keep_on_commit(session, tmp, sha256)


def _keep_on_commit(session: Session, tmp: str, sha256: str) -> str:
    """The staging file is renamed into place when `session` commits and deleted when it rolls back."""
    key = storage_key(sha256)
    final = evidence_root() / key

    def _commit(_session):
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)

    def _discard(_session):
        Path(tmp).unlink(missing_ok=True)

    event.listen(session, "after_commit", _commit, once=True)
    event.listen(session, "after_rollback", _discard, once=True)
    return key


class UploadTooLarge(Exception):
    """More bytes arrived than the limit allows; reading stopped there."""

    def __init__(self, max_bytes: int):
        super().__init__(f"the file is over the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


@dataclass
class Received:
    """A file streamed to a staging file, with its size and SHA-256, waiting for its command."""
    path: str
    size: int
    sha256: str
    owner: tuple  # (user id, proceeding id): only the upload's own command may claim it
    filename: str = ""  # as checked against the rules while it streamed in
    content_type: str = ""


class Receiver:
    """Writes one upload to a staging file as it arrives, hashing and counting; refuses the first
    chunk that passes `max_bytes`, so an oversized file is never read to its end."""

    def __init__(self, max_bytes: int):
        fd, self.path = _staging_file()
        self.file, self.max_bytes, self.size, self.hash = os.fdopen(fd, "wb"), max_bytes, 0, hashlib.sha256()

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise UploadTooLarge(self.max_bytes)
        self.hash.update(chunk)
        self.file.write(chunk)

    def finish(self, owner: tuple, filename: str, content_type: str) -> Received:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        return Received(self.path, self.size, self.hash.hexdigest(), owner, filename, content_type)

    def discard(self) -> None:
        self.file.close()
        Path(self.path).unlink(missing_ok=True)


_WAITING: dict[str, Received] = {}
_LOCK = threading.Lock()


def hold(received: Received) -> str:
    """Keep a received file for its command; the token names it (unguessable, this process only)."""
    token = secrets.token_urlsafe(24)
    with _LOCK:
        _WAITING[token] = received
    return token


def claim(session: Session, token: str, owner: tuple) -> Received | None:
    """The held file for its owner, to be stored when `session` commits (and deleted if it rolls back)."""
    with _LOCK:
        received = _WAITING.get(token)
        if received is None or received.owner != owner:
            return None
        del _WAITING[token]
    _keep_on_commit(session, received.path, received.sha256)
    return received


def release(token: str) -> None:
    """A held file its command never claimed (refused before it got there) is deleted."""
    with _LOCK:
        received = _WAITING.pop(token, None)
    if received is not None:
        Path(received.path).unlink(missing_ok=True)


def read(key: str, sha256: str) -> bytes:
    """The stored bytes, checked against their checksum."""
    data = (evidence_root() / key).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise EvidenceCorrupted(f"stored file {key} does not match its checksum")
    return data
