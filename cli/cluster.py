"""courtflow cluster: the production topology on one machine, until Ctrl-C.

PostgreSQL (the machine's) holds courtflow's data and the Prefect server's; Prefect workers of a
process work pool run the deployments of prefect.yaml (`prefect deploy --all`); several API
processes serve the web app behind HAProxy on loopback. Sessions and CSRF tokens live in the
signed session cookie, so any API process answers any request. A worker or API process that dies
is started again (as a service manager would); the Prefect server or the load balancer dying
stops everything, as in `courtflow serve`.

A flow run whose process died with its worker would stay pending or running for ever (Prefect does
not hand it to another worker by itself): the cluster puts it back to scheduled, and a surviving
worker runs it again. Every flow is idempotent, so the work is done once.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cli.children import Child, alive, become_subreaper, descendants, reap_orphans, start_child, stop_child, sweep_descendants
from cli.serve import Stop, demo_mailbox, ignore_signals, prefect_env, seed_demo_if_empty, stop_on_signals, wait_for
from store.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
WORK_POOL = "courtflow"
API_GRACE, WORKER_GRACE, LB_GRACE, PREFECT_GRACE = 3, 10, 2, 5


def cluster_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if not shutil.which("haproxy"):
        print("courtflow: HAProxy is not installed (scripts/setup installs Debian's haproxy)", file=sys.stderr)
        return 2
    stop_on_signals()
    become_subreaper()
    topology = Topology(args)
    try:
        topology.up()
        return topology.watch()
    except Stop:
        return 0
    finally:
        ignore_signals()
        topology.down()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="courtflow cluster", description="run the production topology on one machine")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432",
                        help="the PostgreSQL server (no database name)")
    parser.add_argument("--database", default="courtflow", help="courtflow's database on it")
    parser.add_argument("--prefect-database", default="courtflow_prefect", help="the Prefect server's database on it")
    parser.add_argument("--port", type=int, default=8000, help="the load balancer's port")
    parser.add_argument("--api-ports", default="8001,8002", help="one API process per port")
    parser.add_argument("--prefect-port", type=int, default=4200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo court into an empty database")
    return parser


class Topology:
    """The processes of the cluster, started in dependency order and stopped in reverse."""

    def __init__(self, args):
        self.args = args
        self.children: list[Child] = []
        self.restartable: dict[str, list[str]] = {}
        self.mailbox = None
        self.state_dir = Path(get_settings().data_dir).resolve() / "cluster"

    def up(self) -> None:
        for name in (self.args.database, self.args.prefect_database):
            create_database(self.args.postgres, name)
        os.environ["COURTFLOW_DATABASE_URL"] = pg_url(self.args.postgres, self.args.database, "psycopg")
        get_settings.cache_clear()
        self._prepare_data()
        self.mailbox = demo_mailbox()
        self.env = self._env()
        self._start_prefect()
        self._deploy()
        for n in range(1, self.args.workers + 1):
            self._start(f"Prefect worker {n}", [sys.executable, "-m", "prefect", "worker", "start", "--pool", WORK_POOL,
                                                "--type", "process", "--name", f"courtflow-worker-{n}"],
                        WORKER_GRACE, restart=True)
        for port in self.api_ports:
            self._start(f"API process :{port}", [sys.executable, "-m", "uvicorn", "api.asgi:app", "--host", "127.0.0.1",
                                                 "--port", str(port), "--log-level", "warning", "--proxy-headers",
                                                 "--forwarded-allow-ips", "127.0.0.1"], API_GRACE, restart=True)
        for port in self.api_ports:
            wait_for(f"http://127.0.0.1:{port}/login", self.children[-1])
        self._start("load balancer", ["haproxy", "-db", "-f", str(self._haproxy_config())], LB_GRACE)
        wait_for(f"http://127.0.0.1:{self.args.port}/login", self.children[-1])
        print(f"\ncourtflow cluster: http://127.0.0.1:{self.args.port} (HAProxy over {len(self.api_ports)} API "
              f"processes), {self.args.workers} Prefect workers in pool '{WORK_POOL}', Prefect UI "
              f"http://127.0.0.1:{self.args.prefect_port}\n", flush=True)

    @property
    def api_ports(self) -> list[int]:
        return [int(p) for p in self.args.api_ports.split(",") if p.strip()]

    def watch(self) -> int:
        """Until a signal: restart a worker or API process that died, give an orphaned flow run to another worker;
        anything else dying stops the cluster (exit 1)."""
        rescue = OrphanedRuns(f"http://127.0.0.1:{self.args.prefect_port}/api")
        while True:
            time.sleep(1)
            reap_orphans({c.process.pid for c in self.children})
            rescue.reschedule()
            for child in list(self.children):
                if child.process.poll() is None:
                    continue
                print(f"courtflow: the {child.name} stopped (exit code {child.process.returncode})", file=sys.stderr,
                      flush=True)
                if child.name not in self.restartable:
                    return 1
                self.children.remove(child)
                self._start(child.name, self.restartable[child.name], child.grace, restart=True)
                print(f"courtflow: started the {child.name} again", file=sys.stderr, flush=True)

    def down(self) -> None:
        for child in reversed(self.children):
            stop_child(child)
        left = sweep_descendants()
        if left:
            print(f"courtflow: killed {left} leftover process(es)", file=sys.stderr, flush=True)
        if self.mailbox:
            self.mailbox.stop()
        if self.children:
            print("courtflow cluster: stopped", flush=True)

    def _prepare_data(self) -> None:
        from cli.common import database
        from store.schema import ensure_schema

        db = database()
        ensure_schema(db)
        if not self.args.no_demo:
            seed_demo_if_empty(db)
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def _env(self) -> dict:
        env = prefect_env(self.args.prefect_port) | {
            "PREFECT_API_DATABASE_CONNECTION_URL": pg_url(self.args.postgres, self.args.prefect_database, "asyncpg"),
            "PREFECT_WORKER_QUERY_SECONDS": os.environ.get("PREFECT_WORKER_QUERY_SECONDS", "5"),
            "COURTFLOW_HOME": str(ROOT),  # prefect.yaml's pull step: the flows run from this checkout
        }
        env["PREFECT_HOME"] = str(self.state_dir / "prefect")
        return env

    def _start(self, name: str, argv: list[str], grace: float, restart: bool = False) -> Child:
        child = start_child(name, argv, self.env, grace)
        self.children.append(child)
        if restart:
            self.restartable[name] = argv
        return child

    def _start_prefect(self) -> None:
        server = self._start("Prefect server", [sys.executable, "-m", "prefect", "server", "start", "--host",
                                                "127.0.0.1", "--port", str(self.args.prefect_port)], PREFECT_GRACE)
        wait_for(f"http://127.0.0.1:{self.args.prefect_port}/api/health", server)

    def _deploy(self) -> None:
        """The process work pool, then every deployment of prefect.yaml into it."""
        prefect = [sys.executable, "-m", "prefect"]
        _run(prefect + ["work-pool", "create", WORK_POOL, "--type", "process", "--overwrite"], self.env)
        _run(prefect + ["--no-prompt", "deploy", "--all"], self.env)

    def _haproxy_config(self) -> Path:
        """Round robin over the API processes, each checked; the answering process named in a response header."""
        servers = "\n".join(f"    server api{n} 127.0.0.1:{port} check inter 2s"
                            for n, port in enumerate(self.api_ports, 1))
        path = self.state_dir / "haproxy.cfg"
        path.write_text(HAPROXY_CONFIG.format(port=self.args.port, servers=servers), encoding="utf-8")
        return path


class OrphanedRuns:
    """Flow runs whose process, started by one of this cluster's workers, died with its worker: Prefect holds them
    pending or running, or marks them crashed when the process noticed its worker go. Each is scheduled again once.
    Only processes seen below this supervisor count, so another host's runs are never touched."""

    def __init__(self, api: str, every: float = 5.0):
        self.api, self.every, self.next_check = httpx.Client(base_url=api, timeout=10), every, 0.0
        self.seen: set[int] = set()
        self.rescheduled: set[str] = set()

    def reschedule(self) -> None:
        self.seen |= {pid for pid, _ in descendants(os.getpid())}
        if time.monotonic() < self.next_check:
            return
        self.next_check = time.monotonic() + self.every
        try:
            held = self.api.post("/flow_runs/filter", json={"flow_runs": {"state": {"type": {"any_": [
                "PENDING", "RUNNING", "CRASHED"]}}}, "work_pools": {"name": {"any_": [WORK_POOL]}}})
            for run in held.raise_for_status().json():
                if self._orphaned(run):
                    self._schedule_again(run)
        except httpx.HTTPError as exc:
            print(f"courtflow: could not check for orphaned flow runs: {exc}", file=sys.stderr, flush=True)

    def _orphaned(self, run: dict) -> bool:
        pid = run.get("infrastructure_pid") or ""
        return (run["id"] not in self.rescheduled and pid.isdigit() and int(pid) in self.seen
                and not alive(int(pid)))

    def _schedule_again(self, run: dict) -> None:
        self.api.post(f"/flow_runs/{run['id']}/set_state", json={"force": True, "state": {
            "type": "SCHEDULED", "message": "its worker's process died; scheduled again for another worker"}}
                      ).raise_for_status()
        self.rescheduled.add(run["id"])
        print(f"courtflow: flow run {run['name']} lost its worker; scheduled again", file=sys.stderr, flush=True)


HAPROXY_CONFIG = """\
global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
frontend courtflow
    bind 127.0.0.1:{port}
    default_backend api
backend api
    balance roundrobin
    option httpchk GET /login
    option forwardfor  # the client's address reaches the login throttle, not the balancer's
    http-response set-header X-Courtflow-Server %s
{servers}
"""


def pg_url(server: str, database: str, driver: str) -> str:
    return server.rstrip("/").replace("postgresql://", f"postgresql+{driver}://", 1) + f"/{database}"


def create_database(server: str, name: str) -> None:
    """Create the database on the PostgreSQL server unless it is there."""
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"courtflow: '{name}' is not a database name (lower-case letters, digits, _)")

    with psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _run(argv: list[str], env: dict) -> None:
    result = subprocess.run(argv, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"courtflow: {' '.join(argv[2:])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
