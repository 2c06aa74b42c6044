"""Security headers on every response, pages, JSON, documents, files and errors alike.

A pure ASGI middleware (not BaseHTTPMiddleware) so streamed requests and responses pass through
untouched. The pages load their script and style from /static only; printed documents (dossier,
exit decisions) carry their own <style> block, hence 'unsafe-inline' for styles and nothing else.
The Swagger UI at /api/docs loads from its CDN with an inline bootstrap script, so it alone gets
a wider script-src.
"""
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
DOCS_PATHS = ("/api/docs",)
HEADERS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"))
HSTS = (b"strict-transport-security", b"max-age=31536000")  # production runs behind HTTPS only


def security_headers(path: str, hsts: bool = False) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
    return [*HEADERS, (b"content-security-policy", csp.encode())] + ([HSTS] if hsts else [])


class SecurityHeaders:
    """Adds the headers to every HTTP response start, replacing any a route set itself."""

    def __init__(self, app: ASGIApp, hsts: bool = False):
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""), self.hsts)
        names = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)
