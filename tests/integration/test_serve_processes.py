"""What `courtflow serve` relies on to end what it starts: real processes, no waiting on the clock."""
import os
import subprocess
import sys
import threading

import apprise

from cli.children import Child, Watchdog, descendants, start_child, still_running, stop_child
from cli.demo_mailbox import DemoMailbox
from notifications.channels import apprise_url

STUBBORN = """
import os, signal, subprocess, sys
signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"],
                              start_new_session=True)
print(grandchild.pid, flush=True)
signal.pause()
"""


def test_a_child_that_ignores_sigterm_is_killed_with_its_grandchild_in_another_session():
    process = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    grandchild = int(process.stdout.readline())  # the pipe, not the clock, says when it has started
    family = descendants(process.pid)
    assert grandchild in {pid for pid, _ in family}
    stop_child(Child("stubborn", process, grace=0))
    assert process.returncode == -9 and still_running(family) == set()
    process.stdout.close()


def test_a_child_that_ends_unasked_is_reported_once():
    crashed = threading.Event()
    child = start_child("flow server", [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ), grace=1)
    watchdog = Watchdog([child], on_crash=crashed.set, every=0.01).start()
    assert crashed.wait(30)
    watchdog.stop()
    assert watchdog.crashed is child and child.process.returncode == 3


def test_a_child_being_stopped_is_not_a_crash():
    child = start_child("Prefect server", [sys.executable, "-c", "import time; time.sleep(600)"], dict(os.environ), 5)
    watchdog = Watchdog([child], on_crash=lambda: None, every=0.01).start()
    stop_child(child)
    watchdog.stop()
    assert watchdog.crashed is None and child.process.returncode == -15


def test_the_demo_mailbox_writes_each_email_notice_to_a_file(tmp_path, monkeypatch):
    mailbox = DemoMailbox(tmp_path / "demo-mail").start()
    try:
        monkeypatch.setenv("COURTFLOW_SMTP_URL", mailbox.smtp_url)
        client = apprise.Apprise()
        assert client.add(apprise_url("email", "hp_judge01@demo.courtflow.test"))
        assert client.notify(title="审限预警", body="（2025）辽0102民初1号 还有3天到期")
    finally:
        mailbox.stop()
    [mail] = (tmp_path / "demo-mail").iterdir()
    assert mail.name.endswith("-hp_judge01@demo.courtflow.test.eml")
    assert "To: hp_judge01@demo.courtflow.test" in mail.read_text()
