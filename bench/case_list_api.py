"""Benchmark: the case-list API's latency at 20 concurrent clients on the province data set.

    PYTHONPATH=. .venv/bin/python bench/case_list_api.py [--clients 20] [--requests 100] [--workers 2] [--url URL]
        [--target http://127.0.0.1:8000]

Serves the app with uvicorn on 127.0.0.1 over a copy of bench/out/province.db (or the PostgreSQL
database at --url, seeded with `courtflow seed --scale province`), or sends the load to --target, an API
already serving that database (the cluster's load balancer: `bench/country.py`). Half the clients
are the high court's trial office (the whole province, 1.2M cases), half are presidents of basic
courts (their own court). Each client holds one keep-alive connection and sends its next
GET /api/v1/cases as soon as the last answer is read in full, cycling through the filter mixes
below; every answer must be a 200 with a JSON body. A warm-up round (SQLite's page cache, the
compiled-statement caches) is not counted. Prints throughput and p50/p95/p99.

The load generator is one asyncio process writing raw HTTP/1.1: it costs ~0.1 ms of CPU a request.
Earlier runs used 20 httpx client threads, whose own GIL contention on the same two cores was
counted as server latency.
"""
import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlite_copy import fresh_copy  # bench/sqlite_copy.py

OUT = Path(__file__).resolve().parent / "out"
PORT = 8765
QUERIES = ["state=in_trial&sort=deadline", "days_left_max=7", "state=filed&page=3", "sort=filed_on&order=desc",
           "days_left_max=0&per_page=100", "state=suspended", "state=closed&sort=filed_on&order=desc",
           "state=all&sort=case_number&page=2"]
PASSWORD = "courtflow-demo"


def main() -> None:
    args = _args()
    url = args.url or fresh_copy(OUT / "province.db", OUT / "api.db")
    if args.target:
        _measure(args, args.target, url, [int(p) for p in args.server_pids.split(",") if p])
        return
    env = {**os.environ, "COURTFLOW_DATABASE_URL": url, "COURTFLOW_ENVIRONMENT": "test"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.asgi:app", "--port", str(PORT),
                               "--workers", str(args.workers), "--log-level", "warning"], env=env)
    try:
        _measure(args, f"http://127.0.0.1:{PORT}", url, [server.pid])
    finally:
        server.terminate()
        server.wait()


def _measure(args, base: str, url: str, server_pids: list[int]) -> None:
    """The warm-up, then the counted round; the server's CPU when its processes are known."""
    _wait(base)
    host, port = base.removeprefix("http://").split(":")
    tokens = [_token(base, user) for user in _users(url, args.clients)]
    asyncio.run(_load(host, int(port), tokens, 10))  # warm-up, not counted
    server_cpu = sum(map(_cpu_seconds, server_pids))
    client_cpu, started = time.process_time(), time.perf_counter()
    times = asyncio.run(_load(host, int(port), tokens, args.requests))
    elapsed = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    q = statistics.quantiles(times, n=100)
    served = f"through {base}" if args.target else f"{args.workers} workers"
    server_cpu = sum(map(_cpu_seconds, server_pids)) - server_cpu
    server = f"server {server_cpu / len(times) * 1000:.2f} ms, " if server_pids else "server not measured, "
    print(f"{len(times)} requests, {args.clients} clients, {served}: {len(times) / elapsed:.0f}/s, "
          f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {max(times):.1f} ms; CPU per request: "
          f"{server}load generator {client_cpu / len(times) * 1000:.2f} ms")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the uvicorn supervisor and its worker processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for p in [pid, *map(int, children)]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100, help="per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="a PostgreSQL URL instead of the SQLite copy")
    parser.add_argument("--target", help="an API already serving --url (e.g. the cluster's load balancer, "
                                         "http://127.0.0.1:8000): no server is started")
    parser.add_argument("--server-pids", default="", help="with --target: the API processes whose CPU to count")
    return parser.parse_args()


def _users(url: str, clients: int) -> list[str]:
    """The high court's trial office for half the clients, distinct basic courts' presidents for the rest."""
    by_role = ("SELECT u.username FROM users u JOIN rolegrant g ON g.user_id = u.id JOIN court c ON c.id = g.court_id "
               "WHERE g.role = :role AND c.level = :level ORDER BY c.id LIMIT :n")
    with create_engine(url).connect() as db:
        office = db.execute(text(by_role), {"role": "trial_office", "level": "high", "n": 1}).scalar_one()
        presidents = db.execute(text(by_role), {"role": "president", "level": "basic",
                                                "n": clients - clients // 2}).scalars().all()
    return [office] * (clients // 2) + list(presidents)


def _wait(base: str) -> None:
    for _ in range(120):
        try:
            httpx.get(f"{base}/login", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def _token(base: str, username: str) -> str:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return r.json()["access_token"]


async def _load(host: str, port: int, tokens: list[str], per_client: int) -> list[float]:
    times: list[float] = []
    await asyncio.gather(*(_client(host, port, i, token, per_client, times) for i, token in enumerate(tokens)))
    return times


async def _client(host: str, port: int, i: int, token: str, per_client: int, times: list[float]) -> None:
    for n in range(per_client):
        query = QUERIES[(i + n) % len(QUERIES)]
        request = (f"GET /api/v1/cases?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                   f"Authorization: Bearer {token}\r\n\r\n").encode()
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(request)
        status, body = await _response(reader)
        times.append((time.perf_counter() - started) * 1000)
        writer.close()
        if status != 200 or not body.startswith(b'{"items":'):
            raise SystemExit(f"GET {query}: {status} {body[:200]!r}")


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in lines if line.lower().startswith(b"content-length:"))
    return int(lines[0].split(b" ", 2)[1]), await reader.readexactly(length)


if __name__ == "__main__":
    main()
