"""The kill test: a delivery run SIGKILLed at a random point loses nothing, and every repeat a receiver
gets carries the idempotency key of its first copy.

Each trial enqueues 5 notices to a real webhook sink, starts a delivery run in a child process, kills it
with SIGKILL after a random (seeded) share of a run's duration, then runs delivery to completion. Child
processes are forked from one `python -c` runner that imported the delivery code once, so a trial costs
milliseconds rather than an interpreter start (100 trials stay well inside the suite's budget).
"""
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from notifications.delivery import deliver_due
from notifications.dispatch import KEY_HEADER, idempotency_key
from store.models import Notice
from tests.integration.sinks import HttpSink
from tests.integration.test_notice_delivery import WARNING, add_user, notify

TRIALS = 100
CALIBRATION = 3
NOTICES = 5
SEED = 20251124
KILL_SPAN = 0.9
ROOT = Path(__file__).resolve().parents[2]

RUNNER = """
import os, sys
from datetime import datetime
import apprise
from notifications.delivery import deliver_due
from store.db import Database
from sqlalchemy.orm import configure_mappers
from services.bootstrap import build_registry
build_registry()  # as every entry point does: the lifecycles' notice templates are found through it
apprise.Apprise().add("json://127.0.0.1/")  # load Apprise's plugins and map the tables once, before forking
configure_mappers()
for line in sys.stdin:
    url, now = line.split()
    pid = os.fork()
    if pid == 0:
        deliver_due(Database(url), datetime.fromisoformat(now), batch=50)
        os._exit(0)
    print(pid, flush=True)
    sys.stdin.readline()  # the test has killed it (or not): reap it only now, so its pid is not reused
    _, status = os.waitpid(pid, 0)
    print(status, flush=True)
"""


class Runner:
    """The `python -c` process that forks one delivery run per trial."""

    def __init__(self):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen([sys.executable, "-c", RUNNER], cwd=ROOT, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def run(self, url: str, now, kill_after: float | None) -> tuple[bool, float]:
        """One delivery run, SIGKILLed after `kill_after` seconds (None: let it finish).
        Returns (killed while running, seconds from start to its end)."""
        self.process.stdin.write(f"{url} {now.isoformat()}\n")
        self.process.stdin.flush()
        pid = int(self.process.stdout.readline())
        began = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)  # the random kill point: the one place this test waits on the clock
            os.kill(pid, signal.SIGKILL)
        self.process.stdin.write("reap\n")
        self.process.stdin.flush()
        status = int(self.process.stdout.readline())
        return os.WIFSIGNALED(status), time.monotonic() - began

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def sent_everything(db) -> bool:
    with db.read() as s:
        return all(n.state == "sent" for n in s.exec(select(Notice)).all())


def test_a_delivery_run_killed_at_random_points_loses_nothing_and_repeats_carry_the_same_key(any_db, now):
    rng = random.Random(SEED)
    runner = Runner()
    started = time.monotonic()
    with HttpSink(delay=0.002) as sink:
        user = add_user(any_db, channels=[("webhook", f"{sink.url}/hook")])
        keys = {}

        def trial(number: int, kill_share: float | None, run_time: float):
            at = now + number * timedelta(hours=2)
            for i in range(NOTICES):
                case = f"(2025)辽0102民初{number * 10 + i}号"
                notify(any_db, [user], f"deadline:{case}:7", at, context=dict(WARNING, case_number=case))
                keys[case] = idempotency_key(f"deadline:{case}:7:u{user}")
            killed, took = runner.run(any_db.url, at, None if kill_share is None else kill_share * run_time)
            deliver_due(any_db, at + timedelta(hours=1))  # the next run, after the killed run's leases expired
            return killed, took

        # the fastest of three undisturbed runs sets the span kill points are drawn from; its last tenth is left
        # out, so a run slower than the calibration (a loaded machine) is still killed in most trials
        run_time = min(trial(n, None, 0)[1] for n in range(CALIBRATION))
        kills = sum(trial(n, KILL_SPAN * rng.random(), run_time)[0] for n in range(CALIBRATION, CALIBRATION + TRIALS))
        runner.close()

    copies = defaultdict(list)
    for request in sink.requests:
        copies[request["body"]["title"].split("：")[1].split(" ")[0]].append(request["headers"][KEY_HEADER])
    duplicates = sum(len(c) - 1 for c in copies.values())
    elapsed = time.monotonic() - started
    print(f"\nkill test on {any_db.writer.dialect.name}: {TRIALS} trials, {kills} killed mid-run, "
          f"{len(keys)} notices, {duplicates} duplicates, {elapsed:.1f} s (a run took {run_time * 1000:.0f} ms)")

    assert len(keys) == (CALIBRATION + TRIALS) * NOTICES
    assert sent_everything(any_db)
    assert sorted(copies) == sorted(keys), "a notice never reached the receiver"
    assert all(set(c) == {keys[case]} for case, c in copies.items()), "a repeat without its first copy's key"
    assert all(r["status"] == 200 for r in sink.requests)
    assert kills >= TRIALS // 2, "most trials must kill a run that was still working"
