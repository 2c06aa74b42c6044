"""`courtflow cluster` as production runs it: PostgreSQL, the Prefect server on it, two Prefect workers of a
process work pool running prefect.yaml's deployments, two API processes behind HAProxy.

Waits on real processes (bounded by CLUSTER_BUDGET). It logs in through the balancer and keeps one session
and its CSRF token across both API processes; drives a daily-monitor run through the workers, SIGKILLs the
worker that holds it mid-run, and sees the run completed once, the worker replaced, and a second run of the
same day writing nothing more (the flows are idempotent); then Ctrl-C stops every process.
"""
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from cli.children import descendants, still_running
from cli.cluster import pg_url
from store.db import Database
from tests.conftest import PG_ADMIN_URL, _postgres_or_skip
from tests.integration.test_served_deployments import free_port

CLUSTER_BUDGET = 300  # seconds from start to the checks done
ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = PG_ADMIN_URL.rsplit("/", 1)[0]


class Cluster:
    """A `courtflow cluster` subprocess on its own databases and ports, with its log."""

    def __init__(self, data_dir: Path):
        self.name = f"courtflow_cluster_{os.getpid()}"
        self.port, self.prefect_port = free_port(), free_port()
        self.api_ports = [free_port(), free_port()]
        self.log_path = data_dir / "cluster.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COURTFLOW_")) and k != "DATABASE_URL"}
        env |= {"COURTFLOW_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", "PREFECT_WORKER_QUERY_SECONDS": "2"}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "cluster", "--postgres", PG_SERVER, "--database", self.name,
                 "--prefect-database", f"{self.name}_prefect", "--port", str(self.port), "--prefect-port",
                 str(self.prefect_port), "--api-ports", ",".join(map(str, self.api_ports))],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.deadline = time.monotonic() + CLUSTER_BUDGET
        self.web = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=20)
        self.prefect_api = httpx.Client(base_url=f"http://127.0.0.1:{self.prefect_port}/api", timeout=20)
        self.db = None

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, probe, every: float = 1.0):
        while time.monotonic() < self.deadline:
            assert self.process.poll() is None, f"courtflow cluster exited before {what}:\n{self.log[-3000:]}"
            try:
                found = probe()
            except (httpx.HTTPError, OSError):
                found = None
            if found:
                return found
            time.sleep(every)
        pytest.fail(f"within {CLUSTER_BUDGET}s: no {what}\n{self.log[-3000:]}")

    def prefect(self, path: str, body: dict):
        r = self.prefect_api.post(path, json=body)
        r.raise_for_status()
        return r.json()

    def courtflow_db(self) -> Database:
        self.db = self.db or Database(pg_url(PG_SERVER, self.name, "psycopg"))
        return self.db

    def close(self) -> None:
        for pid, _ in descendants(self.process.pid):
            _kill(pid)
        _kill(self.process.pid)
        self.process.wait()
        self.web.close()
        self.prefect_api.close()
        if self.db:
            self.db.dispose()
        conn = _postgres_or_skip()
        for name in (self.name, f"{self.name}_prefect"):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def pages_through_the_balancer(cluster: Cluster) -> set[str]:
    """Log in on one API process, then read and post with the same session on whichever answers; the servers seen."""
    web = cluster.web
    login = web.get("/login")
    r = web.post("/login", data={"username": "hp_chief_civil1", "password": "courtflow-demo",
                                 "csrf_token": csrf_of(login.text)})
    assert r.status_code == 303, r.text[:500]
    served = {login.headers["x-courtflow-server"], r.headers["x-courtflow-server"]}
    for _ in range(4):
        page = web.get("/tasks")
        assert page.status_code == 200, f"the session was not honoured by {page.headers['x-courtflow-server']}"
        served.add(page.headers["x-courtflow-server"])
    settings = web.get("/settings/notifications")
    saved = web.post("/settings/notifications/timing", data={"csrf_token": csrf_of(settings.text), "quiet_start": "",
                                                       "quiet_end": "", "daily_digest": "on"})
    assert saved.status_code == 303 and "ok=timing_saved" in saved.headers["location"], saved.text[:500]
    return served | {settings.headers["x-courtflow-server"], saved.headers["x-courtflow-server"]}


def api_through_the_balancer(cluster: Cluster) -> set[str]:
    token = cluster.web.post("/api/v1/auth/token", data={"username": "hp_chief_civil1", "password": "courtflow-demo"})
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    served = set()
    for _ in range(4):
        r = cluster.web.get("/api/v1/cases", headers=headers)
        assert r.status_code == 200 and r.json()["total"] > 0
        served.add(r.headers["x-courtflow-server"])
    return served


def run_daily_monitor(cluster: Cluster, as_of: str) -> str:
    deployment = cluster.wait_for("daily-monitor deployed", lambda: cluster.prefect(
        "/deployments/filter", {"deployments": {"name": {"any_": ["daily-monitor"]}}}))[0]
    return cluster.prefect(f"/deployments/{deployment['id']}/create_flow_run", {"parameters": {"as_of": as_of}})["id"]


def flow_run(cluster: Cluster, run_id: str) -> dict:
    r = cluster.prefect_api.get(f"/flow_runs/{run_id}")
    r.raise_for_status()
    return r.json()


RESCUE_WINDOW = 20  # seconds a CRASHED run may stand before the cluster's 5-second orphan check schedules it again


def finished(cluster: Cluster, run_id: str) -> str:
    """The run's final state type, once it has one. CRASHED is final only when it outlasts RESCUE_WINDOW: a run
    whose worker was killed is marked crashed by its own dying process, and the cluster then schedules it again."""
    crashed_since: list[float] = []

    def settled():
        state = flow_run(cluster, run_id)["state_type"]
        if state != "CRASHED":
            crashed_since.clear()
            return state in ("COMPLETED", "FAILED", "CANCELLED") and state
        crashed_since[:] = crashed_since or [time.monotonic()]
        return time.monotonic() - crashed_since[0] > RESCUE_WINDOW and state

    return cluster.wait_for("the run finished", settled)


def kill_the_worker_holding(cluster: Cluster, run_id: str) -> int:
    """SIGKILL the Prefect worker whose flow-run process runs `run_id`, mid-run; the worker's pid."""
    run = cluster.wait_for("the run started by a worker", lambda: (lambda r: r if r["infrastructure_pid"] and
                           r["state_type"] in ("PENDING", "RUNNING") else None)(flow_run(cluster, run_id)), every=0.2)
    child = int(run["infrastructure_pid"])
    worker = int(Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[1])
    assert "worker" in Path(f"/proc/{worker}/cmdline").read_text()
    started = time.monotonic()  # into the run: its engine started, or a few seconds of its start-up
    while flow_run(cluster, run_id)["state_type"] == "PENDING" and time.monotonic() - started < 3:
        time.sleep(0.2)
    os.kill(worker, signal.SIGKILL)
    return worker


def monitor_writes(cluster: Cluster) -> tuple[int, int]:
    with cluster.courtflow_db().read() as s:
        notices = s.execute(text("SELECT count(*) FROM notice")).scalar_one()
        runs = s.execute(text("SELECT count(*) FROM flow_run WHERE name = 'daily-monitor' AND state = 'completed'"))\
            .scalar_one()
    return notices, runs


def test_the_cluster_balances_sessions_and_survives_a_killed_worker(tmp_path):
    conn = _postgres_or_skip()
    conn.close()
    cluster = Cluster(tmp_path)
    try:
        cluster.wait_for("the cluster up", lambda: "courtflow cluster: http://" in cluster.log)
        assert pages_through_the_balancer(cluster) == {"api1", "api2"}
        assert api_through_the_balancer(cluster) == {"api1", "api2"}

        as_of = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
        first = run_daily_monitor(cluster, as_of)
        killed = kill_the_worker_holding(cluster, first)
        assert finished(cluster, first) == "COMPLETED"
        cluster.wait_for("the killed worker started again", lambda: "started the Prefect worker" in cluster.log)
        assert not Path(f"/proc/{killed}").exists()
        notices, runs = monitor_writes(cluster)
        assert runs == 1

        second = run_daily_monitor(cluster, as_of)
        assert finished(cluster, second) == "COMPLETED"
        assert monitor_writes(cluster) == (notices, 2), "a second daily monitor of the same day wrote notices again"

        family = descendants(cluster.process.pid)
        cluster.process.send_signal(signal.SIGINT)
        assert cluster.process.wait(timeout=40) == 0
        assert not still_running(family), "processes left after Ctrl-C"
    finally:
        cluster.close()
