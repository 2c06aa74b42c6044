"""Every response carries the security headers: pages, JSON, refusals, redirects, static files, documents."""
import pytest

from tests.factories import small_world
from tests.integration.conftest import login

EXPECTED = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}


def _check(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    return csp


@pytest.mark.parametrize("path,status", [("/login", 200), ("/tasks", 303), ("/api/v1/auth/me", 401),
                                         ("/static/app.css", 200), ("/api/openapi.json", 200),
                                         ("/api/v1/cases/999999", 401), ("/no-such-page", 404)])
def test_anonymous_responses_carry_the_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    csp = _check(response)
    assert "script-src 'self';" in csp  # no inline script on any page


def test_signed_in_pages_and_api_answers_carry_the_headers(any_db, client, now):
    small_world(any_db)
    headers = login(client, "judge_a")
    _check(client.get("/api/v1/auth/me", headers=headers))
    _check(client.get("/api/v1/cases/999999", headers=headers))  # 404
    _check(client.post("/api/v1/auth/token", data={"username": "judge_a", "password": "wrong"}))  # 401


def test_the_pages_have_no_inline_script_the_policy_would_block():
    """The CSP allows scripts from /static only: a template with an inline script or handler would break."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "api" / "templates"
    offending = [p.name for p in templates.rglob("*.html")
                 if any(marker in p.read_text(encoding="utf-8") for marker in ("<script>", "onclick=", "onsubmit=",
                                                                              "onchange=", "javascript:"))]
    assert offending == []


def test_the_api_docs_page_may_load_swagger_from_its_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "https://cdn.jsdelivr.net" in _check(response)


def test_production_also_sends_strict_transport_security():
    from api.headers import security_headers

    assert (b"strict-transport-security", b"max-age=31536000") in security_headers("/login", hsts=True)
    assert all(name != b"strict-transport-security" for name, _ in security_headers("/login"))
