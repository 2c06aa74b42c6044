"""courtflow serve: the main job — schema, demo court when empty, Prefect server + scheduled flows, web app.

Ctrl-C stops everything: the web app runs in the foreground, the Prefect server and the
flow server are child processes terminated on the way out.
"""
import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cli.common import database, moment_of
from store.config import get_settings
from store.schema import ensure_schema


def serve_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow serve", description="run the web app and the scheduled flows")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefect-port", type=int, default=4200)
    parser.add_argument("--no-flows", action="store_true", help="only the web app")
    args = parser.parse_args(argv)
    db = database()
    ensure_schema(db)
    _seed_demo_if_empty(db)
    children = [] if args.no_flows else _start_prefect(args.prefect_port)
    try:
        import uvicorn

        print(f"\ncourtflow: http://{args.host}:{args.port}   Prefect UI: http://127.0.0.1:{args.prefect_port}\n", flush=True)
        uvicorn.run("api.asgi:app", host=args.host, port=args.port, log_level="info")
    finally:
        for child in reversed(children):
            child.terminate()
        for child in children:
            child.wait(timeout=30)
    return 0


def _seed_demo_if_empty(db) -> None:
    from services.demo.seed import DemoAlreadySeeded, print_logins, seed_demo

    try:
        logins = seed_demo(db, moment_of(None))
    except DemoAlreadySeeded:
        print("courtflow: database already holds a court; demo not reloaded")
        logins = None
    print_logins(logins)


def _start_prefect(port: int) -> list[subprocess.Popen]:
    home = Path(get_settings().data_dir).resolve() / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env)
    _wait_for(f"http://127.0.0.1:{port}/api/health", server)
    flows = subprocess.Popen([sys.executable, "-m", "flows.serve"], env=env)
    return [server, flows]


def _wait_for(url: str, process: subprocess.Popen, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("courtflow: the Prefect server stopped during start-up")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"courtflow: the Prefect server did not answer at {url} within {seconds}s")
