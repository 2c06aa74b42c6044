"""`courtflow serve` as it is deployed: the real Prefect server, the real flow server serving prefect.yaml, the web app.

The one test of the suite that waits on real time (bounded: at most SERVE_BUDGET seconds, typically
about 90): the every-minute `deliver-notices` must reach its first scheduled tick on its own. It
sees every deployment registered with its schedule, the server's scheduler creating the runs,
a scheduled run completing and a demo notice arriving at a loopback SMTP server and a webhook;
then SIGINT stops every process within 15 s, leaving none and printing no traceback.
Opt out only explicitly, with COURTFLOW_SKIP_SERVED=1.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from cli.children import descendants, still_running
from flows.registry import deployments
from store.db import Database
from store.models import Channel, DeliveryAttempt, Notice, User
from tests.integration.sinks import HttpSink, SmtpSink

pytestmark = pytest.mark.skipif(os.environ.get("COURTFLOW_SKIP_SERVED") == "1",
                                reason="COURTFLOW_SKIP_SERVED=1: the served-deployments test was opted out")

SERVE_BUDGET = 240  # seconds from start to the notice delivered
STOP_BUDGET = 15
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A `courtflow serve` subprocess with its log, and the deadline everything must meet."""

    def __init__(self, data_dir: Path, smtp_url: str):
        self.web, self.prefect = free_port(), free_port()
        self.log_path = data_dir / "serve.log"
        self.db_url = f"sqlite:///{data_dir / 'courtflow.db'}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COURTFLOW_")) and k != "DATABASE_URL"}
        env |= {"COURTFLOW_DATA_DIR": str(data_dir), "COURTFLOW_SMTP_URL": smtp_url, "PYTHONUNBUFFERED": "1"}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(self.web),
                                             "--prefect-port", str(self.prefect)],
                                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.started = time.monotonic()
        self.deadline = self.started + SERVE_BUDGET
        self.seen: list[str] = []  # what was seen, when
        self.api = httpx.Client(base_url=f"http://127.0.0.1:{self.prefect}/api", timeout=10)

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, probe, every: float = 1.0):
        """Poll `probe` until it returns something truthy; fail naming `what` (with the log's errors) at the deadline."""
        while time.monotonic() < self.deadline:
            assert self.process.poll() is None, f"courtflow serve exited ({self.process.returncode}) before {what}:\n{self.tail()}"
            try:
                found = probe()
            except (httpx.HTTPError, OSError):
                found = None
            if found:
                self.seen.append(f"{what}: {time.monotonic() - self.started:.0f}s")
                return found
            time.sleep(every)
        pytest.fail(f"within {SERVE_BUDGET}s: no {what}\n{self.tail()}")

    def tail(self) -> str:
        lines = self.log.splitlines()
        errors = list(dict.fromkeys(line.strip() for line in lines if "Error:" in line or "| ERROR" in line))[:8]
        return "\n".join(["seen: " + "; ".join(self.seen), "errors in the log:", *errors, "last lines:", *lines[-12:]])

    def post(self, path: str, body: dict) -> list[dict]:
        r = self.api.post(path, json=body)
        r.raise_for_status()
        return r.json()

    def kill_everything(self) -> None:
        for pid, _ in descendants(self.process.pid):
            _kill(pid)
        _kill(self.process.pid)
        self.process.wait()
        self.api.close()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def give_webhook_to_first_recipient(db_url: str, webhook: str) -> tuple[int, str]:
    """The demo notice delivered first gets a webhook channel besides its recipient's demo e-mail: (notice id, user)."""
    database = Database(db_url)
    try:
        with database.write() as s:
            notice = s.exec(select(Notice).where(Notice.state == "pending")
                            .order_by(Notice.next_attempt_at, Notice.id)).first()
            s.add(Channel(user_id=notice.recipient_user_id, kind="webhook", target=webhook))
            return notice.id, s.get(User, notice.recipient_user_id).username
    finally:
        database.dispose()


def notice_outcome(db_url: str, notice_id: int) -> tuple[str, set[str]]:
    """The notice's state and the kinds of the channels that took it."""
    database = Database(db_url)
    try:
        with database.read() as s:
            kinds = s.exec(select(Channel.kind).join(DeliveryAttempt, DeliveryAttempt.channel_id == Channel.id)
                           .where(DeliveryAttempt.notice_id == notice_id, DeliveryAttempt.ok)).all()
            return s.get(Notice, notice_id).state, set(kinds)
    finally:
        database.dispose()


def all_of(found: list[dict], names: set[str]) -> list[dict] | None:
    """The deployments found, once they are exactly those named."""
    return found if {d["name"] for d in found} == names else None


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def registered_with_schedules(served: Served, expected: dict) -> dict[str, str]:
    """Wait for prefect.yaml's deployments, check each one's schedule; their names by id."""
    registered = served.wait_for("deployments of prefect.yaml registered", lambda: all_of(
        served.post("/deployments/filter", {}), set(expected)))
    for d in registered:
        schedules = [(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in d["schedules"]]
        assert schedules == [(expected[d["name"]].cron, expected[d["name"]].timezone, True)], d["name"]
    return {d["id"]: d["name"] for d in registered}


def scheduler_runs_them(served: Served, ids: dict[str, str]) -> None:
    """The server's scheduler creates runs for every deployment; deliver-notices completes one on its own."""
    def scheduled_runs():
        runs = served.post("/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": list(ids)}}})
        return {ids[r["deployment_id"]] for r in runs if r["auto_scheduled"]} == set(ids.values())

    served.wait_for("scheduled run of every deployment created by the scheduler", scheduled_runs)
    deliver = [i for i, name in ids.items() if name == "deliver-notices"]
    completed = {"flow_runs": {"deployment_id": {"any_": deliver}, "state": {"type": {"any_": ["COMPLETED"]}}}}
    served.wait_for("completed scheduled run of deliver-notices",
                    lambda: [r for r in served.post("/flow_runs/filter", completed) if r["auto_scheduled"]])


def interrupt(served: Served) -> tuple[float, int, set]:
    """SIGINT, as Ctrl-C: how long serve took to exit, its exit code, and what still runs of what was below it."""
    family = descendants(served.process.pid)
    assert len(family) >= 2, f"expected the Prefect server and the flow server below serve, saw {family}"
    started = time.monotonic()
    served.process.send_signal(signal.SIGINT)
    code = served.process.wait(timeout=STOP_BUDGET + 5)
    return time.monotonic() - started, code, still_running(family)


def test_served_deployments_schedule_run_deliver_and_stop_cleanly(tmp_path):
    with SmtpSink() as smtp, HttpSink() as hook:
        served = Served(tmp_path, smtp.apprise_url)
        try:
            served.wait_for("demo seed", lambda: "courtflow-demo" in served.log, every=0.2)
            notice_id, username = give_webhook_to_first_recipient(served.db_url, f"{hook.url}/courtflow")
            scheduler_runs_them(served, registered_with_schedules(served, deployments()))
            served.wait_for("notice at the webhook sink", lambda: hook.received)
            served.wait_for("notice at the SMTP sink", lambda: smtp.messages)
            state, took_it = notice_outcome(served.db_url, notice_id)
            assert state == "sent" and {"email", "webhook"} <= took_it
            mail = [m for m in smtp.messages if f"{username}@demo.courtflow.test" in str(m["To"])]
            assert mail and hook.received[0]["title"] == str(mail[0]["Subject"])
            took, code, left = interrupt(served)
        finally:
            served.kill_everything()
    print("served:", "; ".join(served.seen), f"; stopped in {took:.1f}s, exit code {code}")
    assert took <= STOP_BUDGET, f"stopping took {took:.1f}s"
    assert code == 0 and not left, f"exit code {code}, still running: {left}"
    assert not listening(served.web) and not listening(served.prefect)
    assert "Traceback" not in served.log, served.tail()
