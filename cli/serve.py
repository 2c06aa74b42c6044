"""courtflow serve: the main job — schema, demo court when empty, Prefect server + scheduled flows, web app.

The web app runs in this process; the Prefect server and the flow server are children in their
own sessions (cli/children.py). Ctrl-C or SIGTERM stops the web app, then the flow server, then
the Prefect server, each within a bounded time, and sweeps anything left below: the whole stop
takes at most about 12 s. A child that dies on its own is reported and stops `serve` (exit 1),
rather than leaving a web app whose schedules no longer run.
"""
import argparse
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path

from cli.children import Child, Watchdog, become_subreaper, start_child, stop_child, sweep_descendants
from cli.common import database, moment_of
from notifications.channels import SMTP_URL_ENV
from store.config import get_settings
from store.schema import ensure_schema

WEB_GRACE, FLOWS_GRACE, PREFECT_GRACE = 2, 4, 5  # seconds each may take to stop before it is killed


class Stop(Exception):
    """Raised in the main thread by SIGINT or SIGTERM: leave whatever is running and shut down."""


def serve_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow serve", description="run the web app and the scheduled flows")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefect-port", type=int, default=4200)
    parser.add_argument("--no-flows", action="store_true", help="only the web app")
    args = parser.parse_args(argv)
    stop_on_signals()
    become_subreaper()
    children: list[Child] = []
    mailbox = None
    try:
        db = database()
        ensure_schema(db)
        seed_demo_if_empty(db)
        mailbox = demo_mailbox()
        if not args.no_flows:
            _start_prefect(args.prefect_port, children)
        return _run_web(args, children)
    except Stop:
        return 0
    finally:
        ignore_signals()
        _stop_all(children, mailbox)


def _run_web(args, children: list[Child]) -> int:
    """Serve the web app until a signal, or until a child dies (then exit 1)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config("api.asgi:app", host=args.host, port=args.port, log_level="info",
                                           timeout_graceful_shutdown=WEB_GRACE))
    watchdog = Watchdog(children, on_crash=lambda: setattr(server, "should_exit", True)).start()
    print(f"\ncourtflow: http://{args.host}:{args.port}   Prefect UI: http://127.0.0.1:{args.prefect_port}\n", flush=True)
    try:
        server.run()  # re-raises the signal that stopped it once done: our handler turns that into Stop
    finally:
        watchdog.stop()
    return 1 if watchdog.crashed else 0


def _stop_all(children: list[Child], mailbox) -> None:
    """The flow server, then the Prefect server, then whatever is left below; the mailbox last."""
    for child in reversed(children):
        stop_child(child)
    left = sweep_descendants()
    if left:
        print(f"courtflow: killed {left} leftover process(es)", file=sys.stderr, flush=True)
    if mailbox:
        mailbox.stop()
    if children:
        print("courtflow: stopped", flush=True)


def stop_on_signals() -> None:
    def stop(signum, frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def ignore_signals() -> None:
    """While stopping, a second Ctrl-C must not break off the shutdown half way (it is bounded anyway)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def seed_demo_if_empty(db) -> None:
    from services.demo.seed import DemoAlreadySeeded, print_logins, seed_demo

    try:
        logins = seed_demo(db, moment_of(None))
    except DemoAlreadySeeded:
        print("courtflow: database already holds a court; demo not reloaded")
        logins = None
    print_logins(logins)


def demo_mailbox():
    """In development without COURTFLOW_SMTP_URL: a loopback mailbox writing each e-mail to data/demo-mail/."""
    settings = get_settings()
    if os.environ.get(SMTP_URL_ENV, "").strip() or settings.environment != "development":
        return None
    from cli.demo_mailbox import DemoMailbox

    mailbox = DemoMailbox(Path(settings.data_dir).resolve() / "demo-mail").start()
    os.environ[SMTP_URL_ENV] = mailbox.smtp_url
    print(f"courtflow: {SMTP_URL_ENV} is not set; e-mail notices go to the demo mailbox {mailbox.directory}/ "
          f"(演示邮箱：每封邮件一个 .eml 文件)", flush=True)
    return mailbox


def prefect_env(port: int) -> dict:
    home = Path(get_settings().data_dir).resolve() / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    api = f"http://127.0.0.1:{port}/api"
    # PREFECT_CLI_PROMPT=false: on a terminal `prefect server start` would otherwise stop and ask which
    # profile to keep PREFECT_API_URL in, and never answer on its port.
    return {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": api, "PREFECT_UI_API_URL": api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PREFECT_CLI_PROMPT": "false"}


def _start_prefect(port: int, children: list[Child]) -> None:
    """The Prefect server, and once it answers, the flow server serving prefect.yaml's deployments."""
    env = prefect_env(port)
    server = start_child("Prefect server", [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                            "--port", str(port)], env, PREFECT_GRACE)
    children.append(server)
    wait_for(f"http://127.0.0.1:{port}/api/health", server)
    # SIGINT, not SIGTERM: Prefect 3.8's Runner answers SIGTERM with sys.exit inside its event loop (tracebacks,
    # its stop() never awaited); SIGINT is the KeyboardInterrupt that prefect.serve catches and shuts down on.
    children.append(start_child("flow server", [sys.executable, "-m", "flows.serve"], env, FLOWS_GRACE, signal.SIGINT))


def wait_for(url: str, child: Child, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise SystemExit(f"courtflow: the {child.name} stopped during start-up")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"courtflow: the {child.name} did not answer at {url} within {seconds}s")
