"""A size limit on every request body but the streamed uploads, enforced while it arrives.

JSON and form bodies are parsed whole, so without a limit a client could make the server hold any
number of bytes before validation says no (a base64 evidence file in a transition's payload, say).
Multipart uploads stream to disk with their own limit (api/uploads.py) and pass through untouched.
"""
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

import i18n

MAX_BODY_BYTES = 2 * 1024 * 1024


class BodyLimit:
    """Buffers a non-multipart body up to `max_bytes` and answers 413 as soon as it is passed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_multipart(scope):
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.max_bytes:
            await _too_large(scope, send)
            return
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await _too_large(scope, send)
                return
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        await self.app(scope, _replay(messages, receive), send)


def _header(scope: Scope, name: bytes) -> bytes:
    return next((v for k, v in scope.get("headers", []) if k.lower() == name), b"")


def _is_multipart(scope: Scope) -> bool:
    return _header(scope, b"content-type").lower().startswith(b"multipart/form-data")


def _declared_length(scope: Scope) -> int:
    value = _header(scope, b"content-length")
    return int(value) if value.isdigit() else 0


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()
    return replay


async def _too_large(scope: Scope, send: Send) -> None:
    lang = i18n.from_accept_language(_header(scope, b"accept-language").decode("latin-1"))
    detail = i18n.gettext("body_too_large", lang or i18n.DEFAULT, limit=MAX_BODY_BYTES // (1024 * 1024))
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
