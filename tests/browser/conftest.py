"""Browser tests: the real app under uvicorn, driven by Debian's chromium through Playwright.

One server per session on a fresh SQLite file; every test starts from a clean
`small_world` (all rows deleted, then reseeded) and a fresh browser context, so neither
data nor cookies leak between tests. Without /usr/bin/chromium the tests skip and say
why; under CI=true they fail instead (the CI scripts install it).
"""
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import expect
from sqlmodel import SQLModel

import i18n
from api.app import create_app
from store.db import Database
from tests import append_only
from tests.factories import small_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test under tests/browser carries the `browser` marker (`-m "not browser"` leaves them out)."""
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    base_url: str
    db: Database


def state_word(kind: str, code: str) -> str:
    """A subject's state as the Chinese pages show it: the catalog's word for the machine's state."""
    return i18n.label("state", code, "zh_CN", within=kind)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_until_up(base_url: str, thread: threading.Thread, deadline_s: float = 15.0) -> None:
    stop = time.monotonic() + deadline_s
    while time.monotonic() < stop:
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped before it answered")
        try:
            if httpx.get(f"{base_url}/login", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the app did not answer at {base_url} within {deadline_s} s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app on a fresh SQLite file, served by uvicorn on a free loopback port."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('live') / 'courtflow.db'}")
    SQLModel.metadata.create_all(db.writer)
    sock = _free_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(create_app(db), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-server")
    thread.start()
    try:
        _wait_until_up(base_url, thread)
        yield LiveServer(base_url, db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        db.dispose()


def _wipe(db: Database) -> None:
    with db.writer.begin() as conn:
        append_only.switch_off(conn)
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        append_only.switch_on(conn)


@pytest.fixture(autouse=True)
def world(live_server):
    """A clean small_world for every browser test."""
    _wipe(live_server.db)
    return small_world(live_server.db)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless; never a downloaded browser."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message}; the CI scripts are meant to install it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only once chromium is known to exist)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page in a fresh browser context: no cookies from other tests."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    expect.set_options(timeout=TIMEOUT_MS)
    yield page
    context.close()


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form and wait for the answer page."""
    page.goto(f"{base_url}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("#login-button").click()


def follow_nav(page, name: str, exact: bool = False) -> None:
    """Open the navigation menu holding the link `name` (a <details> menu by job, base.html) and follow the link."""
    nav = page.get_by_role("navigation")
    hidden = page.get_by_role("link", name=name, exact=exact, include_hidden=True)  # a closed menu hides its links
    nav.locator("details.menu").filter(has=hidden).locator("summary").click()
    with page.expect_navigation():
        nav.get_by_role("link", name=name, exact=exact).click()
