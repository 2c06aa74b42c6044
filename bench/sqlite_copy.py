"""Benchmarks work on a copy of the province file: copy it without the old copy's WAL.

A `-wal` file left by the previous run would be replayed into the fresh copy and corrupt it
("database disk image is malformed"), so it and the `-shm` go first."""
import shutil
from pathlib import Path


def fresh_copy(source: Path, target: Path) -> str:
    """Copy `source` to `target` and return its SQLite URL."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"
