"""The processes `courtflow serve` starts, and the certainty that they end.

Each child runs in its own session, so a terminal's Ctrl-C reaches only `serve`, which then
stops the children in its own order. Stopping does not trust a child to obey its stop signal
(Prefect 3.8's Runner does not await its own stop on SIGTERM): after a bounded wait the child's
whole process group is killed, and so is every descendant seen before, even one that moved to a
session of its own (a flow run). `serve` is also the subreaper of everything below it, so a
grandchild orphaned on the way is handed to `serve` and swept at the end instead of to init.
"""
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Child:
    """A started process: its name for messages, the signal that asks it to stop and how long it may take."""

    name: str
    process: subprocess.Popen
    grace: float
    stop_signal: int = signal.SIGTERM
    stopping: bool = field(default=False)


def start_child(name: str, argv: list[str], env: dict, grace: float, stop_signal: int = signal.SIGTERM) -> Child:
    """Start `argv` in a session of its own, reading nothing from the terminal."""
    return Child(name, subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, start_new_session=True), grace,
                 stop_signal)


def stop_child(child: Child) -> None:
    """Ask the child to stop, wait at most `grace` s, then SIGKILL its group and every descendant seen.

    Only the child is asked: it may let what it runs finish within the grace (a flow run in flight
    ends its notice) before the kill takes whatever is left."""
    child.stopping = True
    family = descendants(child.process.pid)
    child.process.send_signal(child.stop_signal)
    try:
        child.process.wait(timeout=child.grace)
    except subprocess.TimeoutExpired:
        print(f"courtflow: the {child.name} did not stop within {child.grace:g}s; killing it", file=sys.stderr, flush=True)
    family |= descendants(child.process.pid)
    _signal_group(child.process.pid, signal.SIGKILL)
    _kill(family)
    child.process.wait()


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to this process (Linux), so `sweep_descendants` still finds them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def sweep_descendants() -> int:
    """Kill and reap whatever still runs below this process; returns how many there were."""
    left = descendants(os.getpid())
    _kill(left)
    deadline = time.monotonic() + 2
    while left and time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                time.sleep(0.05)
        except ChildProcessError:
            break
    return len(left)


def descendants(pid: int) -> set[tuple[int, str]]:
    """(pid, start time) of every process below `pid`, read from /proc; empty where there is no /proc."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        stat = _stat(int(entry.name))
        if stat:
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time) of a process, None when it is gone or dead (a zombie waiting to be reaped)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return None if fields[0] in "ZXx" else (int(fields[1]), fields[19])


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting to be reaped does not)."""
    return _stat(pid) is not None


def reap_orphans(own: set[int]) -> None:
    """Reap the dead children of this process that are not among `own` (orphans handed to this subreaper)."""
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        if pid not in own and _parent_of_zombie(pid) == os.getpid():
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def _parent_of_zombie(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]) if fields[0] == "Z" else None


def still_running(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Those of `processes` alive under the same start time (a reused pid is another process)."""
    return {(pid, started) for pid, started in processes if (_stat(pid) or (0, ""))[1] == started}


def _kill(processes: set[tuple[int, str]], within: float = 2.0) -> None:
    """SIGKILL each, then wait (at most `within` s) until the kernel has taken them all down."""
    for pid, _ in still_running(processes):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + within
    while still_running(processes) and time.monotonic() < deadline:
        time.sleep(0.02)


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


class Watchdog:
    """Polls the children; the first that ends unasked is reported and `on_crash` is called once."""

    def __init__(self, children: list[Child], on_crash, every: float = 1.0):
        self.children, self.on_crash, self.every = children, on_crash, every
        self.crashed: Child | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="courtflow-watchdog", daemon=True)

    def start(self) -> "Watchdog":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._done.wait(self.every):
            ended = next((c for c in list(self.children) if not c.stopping and c.process.poll() is not None), None)
            if ended:
                self.crashed = ended
                print(f"courtflow: the {ended.name} stopped unexpectedly (exit code {ended.process.returncode}); "
                      "stopping everything", file=sys.stderr, flush=True)
                self.on_crash()
                return
