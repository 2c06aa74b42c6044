"""Evidence files on disk, stored with their row or not at all.

The bytes are written to a staging file first; only when the transaction that adds the
row commits is the file renamed into place (named by its SHA-256, so a second copy of the
same bytes is the same file). A rollback deletes the staging file. A reader checks the
checksum, so a file changed on disk is noticed, never served silently.
"""
import hashlib
import os
import tempfile
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


def stage(session: Session, data: bytes, sha256: str) -> str:
    """Write the bytes to a staging file that becomes the stored file when `session` commits."""
    root = evidence_root()
    staging = root / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=staging, prefix="upload-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    key = storage_key(sha256)
    final = root / key

    def _commit(_session):
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)

    def _discard(_session):
        Path(tmp).unlink(missing_ok=True)

    event.listen(session, "after_commit", _commit, once=True)
    event.listen(session, "after_rollback", _discard, once=True)
    return key


def read(key: str, sha256: str) -> bytes:
    """The stored bytes, checked against their checksum."""
    data = (evidence_root() / key).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise EvidenceCorrupted(f"stored file {key} does not match its checksum")
    return data
