"""Benchmark: a country's worth of provinces in one PostgreSQL database, on the production topology.

    PYTHONPATH=. .venv/bin/python bench/country.py --provinces 5 --url postgresql+psycopg://postgres@127.0.0.1:5432/courtflow_country

1. Seeds the provinces one after another (辽, 吉, 黑, 冀, 晋: each the province data set under its own court
   codes, usernames and staff numbers; `services/demo/scale.py`), each in its own transaction, timing each
   (wall, and this process's CPU: the database server's own CPU is not counted). The database is created and
   migrated if absent; provinces already there are skipped (so a run can be resumed).
2. Brings up `courtflow cluster` on that database (the Prefect server on PostgreSQL, two Prefect workers, two
   API processes behind HAProxy; its own ports, its own Prefect database), pauses the other deployments'
   schedules, and runs the daily monitor through the workers for the seed's day (the backlog of warnings) and
   then the next day, timing each flow run as Prefect records it.
3. Sends the case list at 20 clients through the load balancer (`bench/case_list_api.py --target`).
4. Stops the cluster. The databases (DATABASE and DATABASE_prefect) are left for the next run: drop them by hand.

Prints every figure with the data size and the machine's load average.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg
from sqlalchemy import text

import store.models  # noqa: F401  (registers the tables)
from cli.children import descendants
from services.bootstrap import build_registry
from services.demo.scale import PROVINCES, SeedRefused, seed_province
from store.db import Database
from store.schema import ensure_schema

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PORTS = {"port": 8130, "api": "8131,8132", "prefect": 4230}
CLUSTER_BUDGET = 600  # seconds for the cluster to come up


def main() -> None:
    args = _args()
    _create_database(args.url)
    db = Database(args.url)
    ensure_schema(db)
    now = datetime.combine(args.now, clock(9, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    _load(f"before the seed")
    for province in PROVINCES[:args.provinces]:
        _seed(db, now, province, args)
    print(_data_size(db), flush=True)
    db.dispose()
    if args.seed_only:
        return
    cluster = Cluster(args.url, OUT / "country-cluster.log")
    try:
        cluster.up()
        first = args.monitor_from or args.now
        for day in (first, first + timedelta(days=1)):  # the backlog, then the next day
            cluster.daily_monitor(day)
        _load("before the case list")
        subprocess.run([sys.executable, str(ROOT / "bench" / "case_list_api.py"), "--url", args.url,
                        "--target", f"http://127.0.0.1:{PORTS['port']}", "--clients", "20",
                        "--server-pids", ",".join(map(str, cluster.api_pids()))], check=True)
        _load("after the case list")
    finally:
        cluster.down()


def _seed(db: Database, now: datetime, province, args) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    try:
        counts = seed_province(db, now, cases=args.cases, judges=args.judges, progress=False, province=province)
    except SeedRefused:
        print(f"{province.name}: already seeded, skipped", flush=True)
        return
    print(f"{province.name} ({province.code}): wall {time.perf_counter() - started:.1f} s, CPU (this process) "
          f"{time.process_time() - cpu:.1f} s; the database now: {counts['courts']:,} courts, {counts['cases']:,} "
          f"cases, {counts['pending_cases']:,} pending", flush=True)
    _load(f"after {province.name}")


def _data_size(db: Database) -> str:
    with db.read() as s:
        row = s.execute(text(
            "SELECT (SELECT count(*) FROM court), (SELECT count(*) FROM users WHERE is_quota_judge), "
            "(SELECT count(*) FROM users), (SELECT count(*) FROM cases), "
            "(SELECT count(*) FROM cases WHERE state IN ('filed','assigned','in_trial','under_review','suspended')), "
            "pg_size_pretty(pg_database_size(current_database()))")).one()
    return (f"data: {row[0]:,} courts, {row[1]:,} quota judges ({row[2]:,} users), {row[3]:,} cases, "
            f"{row[4]:,} pending; database {row[5]}")


def _load(when: str) -> None:
    print(f"load average {when}: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)",
          flush=True)


class Cluster:
    """`courtflow cluster` on the benchmark's database, driven through the Prefect server's API."""

    def __init__(self, url: str, log: Path):
        self.url, self.log_path = url, log
        self.database = _plain(url).rsplit("/", 1)[1]
        self.api = httpx.Client(base_url=f"http://127.0.0.1:{PORTS['prefect']}/api", timeout=30)
        self.process = None

    def up(self) -> None:
        server = _plain(self.url).rsplit("/", 1)[0]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COURTFLOW_"))}
        env |= {"COURTFLOW_DATA_DIR": str(OUT / "country-data"), "PYTHONUNBUFFERED": "1",
                "PREFECT_WORKER_QUERY_SECONDS": "2"}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "cluster", "--postgres", server, "--database", self.database,
                 "--prefect-database", f"{self.database}_prefect", "--port", str(PORTS["port"]), "--api-ports",
                 PORTS["api"], "--prefect-port", str(PORTS["prefect"]), "--no-demo"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait("the cluster up", lambda: "courtflow cluster: http://" in self.log_path.read_text(errors="replace"))
        self._pause_schedules()

    def api_pids(self) -> list[int]:
        """The uvicorn API processes behind the load balancer (their CPU is counted per request)."""
        return [pid for pid, _ in descendants(self.process.pid)
                if b"uvicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()]

    def _pause_schedules(self) -> None:
        """Only the runs created here run: the scheduled flows (delivery every minute) would share the cores."""
        for deployment in self._post("/deployments/filter", {}):
            self.api.patch(f"/deployments/{deployment['id']}", json={"paused": True}).raise_for_status()

    def daily_monitor(self, day: date) -> None:
        deployment = self._post("/deployments/filter", {"deployments": {"name": {"any_": ["daily-monitor"]}}})[0]
        run = self._post(f"/deployments/{deployment['id']}/create_flow_run",
                         {"parameters": {"as_of": day.isoformat()}})
        done = self._wait(f"the daily monitor of {day}", lambda: self._finished(run["id"]), every=2)
        if done["state_type"] != "COMPLETED":
            raise SystemExit(f"daily monitor {day}: {done['state_type']} {done['state']['message']}")
        print(f"daily monitor {day} through the Prefect workers: {done['total_run_time']:.1f} s Prefect run time "
              f"(start {done['start_time']}, end {done['end_time']}); {self._recorded(day)}; task runs: "
              f"{self._task_runs(run['id'])}", flush=True)
        _load(f"after the daily monitor of {day}")

    def _recorded(self, day: date) -> str:
        """The run as the flow recorded it in courtflow's `flow_run`: its own seconds and what it wrote."""
        db = Database(self.url)
        with db.read() as s:
            started, finished, summary = s.execute(text(
                "SELECT started_at, finished_at, summary FROM flow_run WHERE name = 'daily-monitor' AND as_of = :day "
                "ORDER BY id DESC LIMIT 1"), {"day": day.isoformat()}).one()
        db.dispose()
        wrote = {k: v for k, v in (summary | summary.get("extra", {})).items() if isinstance(v, int) and v}
        return f"the flow's body {(finished - started).total_seconds():.1f} s, wrote {wrote}"

    def _finished(self, run_id: str) -> dict | None:
        run = self.api.get(f"/flow_runs/{run_id}").json()
        return run if run["state_type"] in ("COMPLETED", "FAILED", "CANCELLED", "CRASHED") else None

    def _task_runs(self, run_id: str) -> str:
        """The shared sweeps' task runs, by name, with their seconds: which slices ran side by side."""
        runs = self._post("/task_runs/filter", {"flow_runs": {"id": {"any_": [run_id]}}})
        slow = sorted(runs, key=lambda r: -r["total_run_time"])[:6]
        return ", ".join(f"{r['name']} {r['total_run_time']:.1f} s" for r in slow) + f" ({len(runs)} in all)"

    def _post(self, path: str, body: dict):
        r = self.api.post(path, json=body)
        r.raise_for_status()
        return r.json()

    def _wait(self, what: str, probe, every: float = 1.0):
        deadline = time.monotonic() + CLUSTER_BUDGET * 6
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"courtflow cluster exited before {what}; see {self.log_path}")
            try:
                found = probe()
            except httpx.HTTPError:
                found = None
            if found:
                return found
            time.sleep(every)
        raise SystemExit(f"no {what} in time; see {self.log_path}")

    def down(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(2)  # Ctrl-C: the cluster stops its children in reverse order
            self.process.wait(timeout=120)
        self.api.close()


def _plain(url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def _create_database(url: str) -> None:
    server, name = _plain(url).rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _args():
    parser = argparse.ArgumentParser(description="seed N provinces into PostgreSQL, run the monitor and the case list")
    parser.add_argument("--provinces", type=int, default=5, choices=range(1, len(PROVINCES) + 1))
    parser.add_argument("--url", required=True, help="postgresql+psycopg://…/DATABASE (created if absent)")
    parser.add_argument("--cases", type=int, default=1_200_000, help="per province")
    parser.add_argument("--judges", type=int, default=6_000, help="per province")
    parser.add_argument("--now", type=date.fromisoformat, default=date(2025, 3, 3), help="the seed's day, YYYY-MM-DD")
    parser.add_argument("--monitor-from", type=date.fromisoformat,
                        help="the monitor's first day (default the seed's): a later day when earlier ones were run")
    parser.add_argument("--seed-only", action="store_true", help="stop after the seed")
    return parser.parse_args()


if __name__ == "__main__":
    build_registry()  # every lifecycle plugged in, as at start-up
    main()
