"""The real app over the test database, with the clock fixed by the `now` fixture."""
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_now
from tests.factories import PASSWORD


@pytest.fixture
def client(any_db, now):
    app = create_app(any_db)
    app.dependency_overrides[get_now] = lambda: now
    return TestClient(app, follow_redirects=False)


def login(client, username: str) -> dict:
    """Bearer headers for a user of tests.factories (all share PASSWORD)."""
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def run_asgi(app, scope, receive, send) -> None:
    """Drive an ASGI app directly on a fresh event loop in its own thread.

    Counting the bytes a server pulls needs the raw ASGI calls (the test client reads a body whole
    before sending it); a thread of its own keeps this independent of any loop an earlier test in
    the same worker left set on the main thread.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
