"""Evidence uploads are streamed: the caller is authorized before a byte of the body is read, an oversized
file is refused (413) as soon as it passes the limit, and an accepted file never sits whole in memory.

The app is driven over raw ASGI with a body fed chunk by chunk, counting what the app pulls: a test
client would read the whole body before the app sees it."""
import hashlib
import tracemalloc

import pytest

from api.app import create_app
from api.deps import get_now
from tests.exit_helpers import exit_world, submissions, through_statement
from tests.integration.conftest import login, run_asgi

BOUNDARY = "courtflow-test-boundary"
CHUNK = 64 * 1024
LIMIT = 10 * 1024 * 1024  # the default policy's max_bytes


@pytest.fixture
def world(any_db):
    return exit_world(any_db)


@pytest.fixture
def app(any_db, now, evidence_dir):
    app = create_app(any_db)
    app.dependency_overrides[get_now] = lambda: now
    return app


def multipart(filename: str, content_type: str, size: int, head: bytes = b"%PDF-"):
    """A multipart body with one file of `size` bytes, produced lazily in 64 KiB chunks."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n证据\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
           f"Content-Type: {content_type}\r\n\r\n").encode()
    sent = 0
    while sent < size:
        chunk = (head if sent == 0 else b"") + b"0" * (min(CHUNK, size - sent) - (len(head) if sent == 0 else 0))
        sent += len(chunk)
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def post(app, path: str, headers: dict, body, content_length: int | None = None) -> tuple[int, int, bytes]:
    """POST over raw ASGI; returns (status, body bytes the app consumed, response body)."""
    consumed, response, chunks = [0], {"status": None, "body": b""}, iter(body)

    async def receive():
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        consumed[0] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            response["status"] = message["status"]
        elif message["type"] == "http.response.body":
            response["body"] += message.get("body", b"")

    raw = {**headers, "content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if content_length is not None:
        raw["content-length"] = str(content_length)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in raw.items()],
             "client": ("10.0.0.7", 40000), "server": ("testserver", 80)}
    run_asgi(app, scope, receive, send)
    return response["status"], consumed[0], response["body"]


def test_a_60_mb_upload_is_refused_after_the_limit_not_after_the_whole_file(any_db, world, client, app, evidence_dir):
    pid = through_statement(any_db, world)
    status, consumed, body = post(app, f"/api/v1/exit_proceedings/{pid}/evidence", login(client, "judge_a"),
                                  multipart("大文件.pdf", "application/pdf", 60 * 1024 * 1024))
    assert status == 413 and b"10485760" in body
    assert LIMIT < consumed <= LIMIT + 2 * CHUNK  # stopped within a chunk of the limit, 50 MB never read
    assert submissions(any_db, pid) == [] and not [p for p in evidence_dir.rglob("*") if p.is_file()]


def test_an_upload_declaring_a_length_over_the_limit_is_refused_before_its_body(any_db, world, client, app):
    pid = through_statement(any_db, world)
    status, consumed, _ = post(app, f"/api/v1/exit_proceedings/{pid}/evidence", login(client, "judge_a"),
                               multipart("大文件.pdf", "application/pdf", 60 * 1024 * 1024),
                               content_length=60 * 1024 * 1024 + 400)
    assert (status, consumed) == (413, 0)


@pytest.mark.parametrize("who, status", [("judge_sh", 404),  # another court
                                         ("judge_b", 404),  # a colleague: not their proceeding
                                         ("committee_a", 409)])  # sees it, may not add evidence
def test_a_caller_who_may_not_add_evidence_is_refused_before_a_byte_is_read(any_db, world, client, app, who, status):
    pid = through_statement(any_db, world)
    code, consumed, _ = post(app, f"/api/v1/exit_proceedings/{pid}/evidence", login(client, who),
                             multipart("说明.pdf", "application/pdf", 120 * 1024 * 1024))
    assert (code, consumed) == (status, 0)


def test_a_file_of_a_refused_type_is_refused_on_its_headers(any_db, world, client, app):
    pid = through_statement(any_db, world)
    code, consumed, body = post(app, f"/api/v1/exit_proceedings/{pid}/evidence", login(client, "judge_a"),
                                multipart("程序.exe", "application/x-msdownload", 50 * 1024 * 1024, head=b"MZ"))
    assert code == 422 and b"not accepted" in body and consumed < 2 * CHUNK


def test_an_accepted_file_is_streamed_hashed_and_stored_without_being_held_in_memory(any_db, world, client, app,
                                                                                      evidence_dir):
    pid = through_statement(any_db, world)
    size = 9 * 1024 * 1024
    expected = hashlib.sha256(b"".join(list(multipart("x.pdf", "application/pdf", size))[1:-1])).hexdigest()
    headers = login(client, "judge_a")
    tracemalloc.start()
    try:
        status, consumed, body = post(app, f"/api/v1/exit_proceedings/{pid}/evidence", headers,
                                      multipart("统计.pdf", "application/pdf", size))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 200, body
    [row] = [s for s in submissions(any_db, pid) if s.kind == "evidence"]
    assert (row.filename, row.size_bytes, row.sha256) == ("统计.pdf", size, expected)
    assert (evidence_dir / row.storage_key).stat().st_size == size
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while streaming a {size}-byte file"


def test_the_page_form_streams_too_and_files_only_with_the_csrf_token(any_db, world, client, evidence_dir):
    from tests.exit_helpers import PDF
    from tests.integration.test_pages import csrf_of, page_login

    pid = through_statement(any_db, world)
    page_login(client, "judge_a")
    page = client.get(f"/exits/{pid}")
    assert f'action="/exits/{pid}/evidence"' in page.text
    forged = client.post(f"/exits/{pid}/evidence", data={"csrf_token": "forged", "description": "x"},
                         files={"file": ("说明.pdf", PDF, "application/pdf")})
    assert forged.status_code == 403 and submissions(any_db, pid) == []
    big = client.post(f"/exits/{pid}/evidence", data={"csrf_token": csrf_of(page.text)},
                      files={"file": ("大.pdf", b"%PDF-" + b"0" * LIMIT, "application/pdf")})
    assert big.status_code == 422 and "超过 10 MB 的上限" in big.text and submissions(any_db, pid) == []
    ok = client.post(f"/exits/{pid}/evidence", data={"csrf_token": csrf_of(page.text), "description": "统计"},
                     files={"file": ("说明.pdf", PDF, "application/pdf")})
    assert ok.status_code == 303
    assert [(s.kind, s.filename) for s in submissions(any_db, pid)] == [("evidence", "说明.pdf")]
    assert [p.name for p in evidence_dir.rglob("*") if p.is_file()] == [hashlib.sha256(PDF).hexdigest()]


@pytest.mark.parametrize("content_type, body, field", [
    ("application/json", b'{"file": "x"}', "body"),  # not multipart
    (f"multipart/form-data; boundary={BOUNDARY}", b"garbage without any boundary", "body"),
    (f"multipart/form-data; boundary={BOUNDARY}",
     (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n".encode() + b"x" * 9000
      + f"\r\n--{BOUNDARY}--\r\n".encode()), "body.description"),  # an oversized plain field
    (f"multipart/form-data; boundary={BOUNDARY}",
     b"".join(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n{'x' * 4000}\r\n".encode()
              for i in range(40)) + f"--{BOUNDARY}--\r\n".encode(), "body"),  # many fields, each under the limit
    (f"multipart/form-data; boundary={BOUNDARY}",
     b"".join(list(multipart("a.pdf", "application/pdf", 10))[:-1])
     + (f"\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.pdf\"\r\n"
        f"Content-Type: application/pdf\r\n\r\n%PDF-2\r\n--{BOUNDARY}--\r\n").encode(), "body.file"),  # two files
])
def test_a_malformed_upload_is_422_naming_the_part_and_leaves_nothing(any_db, world, client, evidence_dir,
                                                                       content_type, body, field):
    pid = through_statement(any_db, world)
    r = client.post(f"/api/v1/exit_proceedings/{pid}/evidence", content=body,
                    headers={**login(client, "judge_a"), "content-type": content_type})
    assert r.status_code == 422 and ".".join(r.json()["detail"][0]["loc"]) == field, r.text
    assert submissions(any_db, pid) == [] and not [p for p in evidence_dir.rglob("*") if p.is_file()]
