"""Real local endpoints for delivery tests: an HTTP sink for webhooks and an SMTP sink for e-mail."""
import email
import json
import socket
import threading
import time
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


class HttpSink:
    """A webhook receiver on 127.0.0.1 that records JSON bodies; fails the first `fail_first` requests with 500;
    takes `delay` seconds to answer each (a slow receiver)."""

    def __init__(self, fail_first: int = 0, delay: float = 0.0):
        self.fail_first = fail_first
        self.delay = delay
        self.requests: list[dict] = []  # every request: {"path", "body", "status", "headers"}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def received(self) -> list[dict]:
        """JSON bodies of the requests answered with 200."""
        with self._lock:
            return [r["body"] for r in self.requests if r["status"] == 200]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str, raw: bytes, headers: dict | None = None) -> int:
        with self._lock:
            status = 500 if self.fail_first > 0 else 200
            self.fail_first -= status == 500
            self.requests.append({"path": path, "body": json.loads(raw or b"null"), "status": status,
                                  "headers": headers or {}})
            return status

    def _handler(self):
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                expected = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(expected)
                if len(raw) < expected:  # the sender died mid-request: a receiver never takes half a body
                    self.close_connection = True
                    return
                if sink.delay:
                    time.sleep(sink.delay)
                status = sink._answer(self.path, raw, dict(self.headers))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


class SmtpSink:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that records every message it is given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def apprise_url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=courtflow@court.local"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
