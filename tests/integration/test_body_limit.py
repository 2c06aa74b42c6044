"""A JSON or form body over the limit is refused with 413 while it arrives, before any route parses it."""
import json

from api.body_limit import MAX_BODY_BYTES
from tests.factories import small_world
from tests.integration.conftest import login, run_asgi


def test_a_declared_oversized_body_is_refused_unread(client):
    body = b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"
    response = client.post("/api/v1/auth/token", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "上限" in response.json()["detail"]


def test_a_streamed_oversized_body_is_cut_off_at_the_limit(any_db, client):
    """Driven at the ASGI level, so the bytes the server pulled from the client can be counted."""
    small_world(any_db)
    token = login(client, "judge_a")["Authorization"].encode()
    chunk, pulled, sent = 64 * 1024, [0], []

    async def receive():
        pulled[0] += chunk
        return {"type": "http.request", "body": b" " * chunk, "more_body": pulled[0] < 20 * MAX_BODY_BYTES}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/cases/1/transitions", "raw_path": b"",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("testserver", 80), "client": ("127.0.0.1", 1), "asgi": {"version": "3.0"},
             "headers": [(b"content-type", b"application/json"), (b"authorization", token),
                         (b"accept-language", b"en")]}
    run_asgi(client.app, scope, receive, send)
    assert sent[0]["status"] == 413
    assert "too large" in json.loads(sent[1]["body"])["detail"]
    assert pulled[0] <= MAX_BODY_BYTES + chunk  # reading stopped at the chunk that passed the limit


def test_bodies_under_the_limit_reach_their_route(any_db, client):
    small_world(any_db)
    headers = {**login(client, "judge_a"), "content-type": "application/json"}
    payload = json.dumps({"event": "no_such_event", "payload": {"note": "x" * 1000}, "expected_version": 1})
    response = client.post("/api/v1/cases/1/transitions", headers=headers, content=payload)
    assert response.status_code not in (413, 500)
