"""Benchmark: the case-list API's latency at 20 concurrent clients on the province data set.

Serves the app with uvicorn on 127.0.0.1 over a copy of bench/out/province.db, logs in as
the high court's trial office (sees the whole province), then 20 threads each send a
bounded number of GET /api/v1/cases requests with varied filters; prints p50/p95/p99.
"""
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py

OUT = Path(__file__).resolve().parent / "out"
CLIENTS, PER_CLIENT, PORT = 20, 50, 8765
QUERIES = ["state=in_trial&sort=deadline", "days_left_max=7", "state=filed&page=3", "sort=filed_on&order=desc",
           "days_left_max=0&per_page=100", "state=suspended"]


def main() -> None:
    fresh_copy(OUT / "province.db", OUT / "api.db")
    env = {**os.environ, "COURTFLOW_DATABASE_URL": f"sqlite:///{OUT / 'api.db'}", "COURTFLOW_ENVIRONMENT": "test"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.asgi:app", "--port", str(PORT), "--workers", "2",
                               "--log-level", "warning"], env=env)
    try:
        base = f"http://127.0.0.1:{PORT}"
        _wait(base)
        token = _token(base)
        times = _load(base, token)
        q = statistics.quantiles(times, n=100)
        print(f"{len(times)} requests, {CLIENTS} clients: p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms")
    finally:
        server.terminate()
        server.wait()


def _wait(base: str) -> None:
    for _ in range(120):
        try:
            httpx.get(f"{base}/login", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def _token(base: str) -> str:
    import sqlite3

    user = sqlite3.connect(OUT / "api.db").execute(
        "SELECT u.username FROM users u JOIN rolegrant g ON g.user_id = u.id JOIN court c ON c.id = g.court_id "
        "WHERE g.role = 'trial_office' AND c.level = 'high' LIMIT 1").fetchone()[0]
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": user, "password": "courtflow-demo"})
    r.raise_for_status()
    return r.json()["access_token"]


def _load(base: str, token: str) -> list[float]:
    times, lock = [], threading.Lock()

    def client(i: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
            for n in range(PER_CLIENT):
                started = time.perf_counter()
                c.get(f"/api/v1/cases?{QUERIES[(i + n) % len(QUERIES)]}").raise_for_status()
                with lock:
                    times.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return times


if __name__ == "__main__":
    main()
