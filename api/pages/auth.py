"""Login, logout and the language switch."""
from typing import Annotated

import i18n

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import refusal_text
from services.admin import invitations
from services.kernel.auth import LoginLocked, authenticate
from services.kernel.errors import Invalid, NotFound
from api.throttle import client_address, locked_text, retry_after

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html


@router.get("/login")
def login_page(request: Request):
    """The login form."""
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, db: DbDep, now: NowDep, username: Annotated[str, Form()],
          password: Annotated[str, Form()], csrf_token: Annotated[str | None, Form()] = None):
    """Check the password and start a cookie session."""
    check_csrf(request, csrf_token)
    try:
        actor = authenticate(db, username, password, now, client_address(request))
    except LoginLocked as locked:
        page = render(request, "login.html", error=locked_text(locked, lang_of(request)), username=username,
                      status_code=429)
        page.headers.update(retry_after(locked, now))
        return page
    if actor is None:
        return render(request, "login.html", error="login_failed", username=username, status_code=401)
    request.session.clear()
    request.session.update({"uid": actor.user_id, "lang": actor.language})
    with db.read() as session:
        if invitations.must_change(session, actor.user_id):
            request.session["must_change"] = True
            return redirect("/password")
    return redirect("/tasks")


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str | None, Form()] = None):
    """End the session."""
    check_csrf(request, csrf_token)
    request.session.clear()
    return redirect("/login")


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str = "/tasks"):
    """Switch the page language between zh and en."""
    request.session["lang"] = i18n.language(lang)
    return redirect(next if next.startswith("/") and not next.startswith("//") else "/tasks")


@router.get("/invitation/{token}")
def invitation_page(request: Request, db: DbDep, now: NowDep, token: str):
    """The form to set one's password from a one-time link (no login: the link is the proof)."""
    with db.read() as session:
        try:
            _, user = invitations.pending(session, token[:100], now)
        except NotFound:
            return render(request, "set_password.html", error=_t("link_invalid", request), status_code=404)
    return render(request, "set_password.html", token=token, username=user.username)


@router.post("/invitation/{token}")
def set_password(request: Request, db: DbDep, now: NowDep, token: str, password: Annotated[str, Form()],
                 csrf_token: Annotated[str | None, Form()] = None):
    check_csrf(request, csrf_token)
    try:
        with db.write() as session:
            user = invitations.redeem(session, token[:100], password[:200], now)
    except NotFound:
        return render(request, "set_password.html", error=_t("link_invalid", request), status_code=404)
    except Invalid as exc:
        return render(request, "set_password.html", token=token, error=refusal_text(exc, lang_of(request)),
                      status_code=422)
    return render(request, "login.html", username=user.username, notice=_t("password_set", request))


@router.get("/password")
def password_page(request: Request):
    """Change one's own password; after a login that must change it first, every page leads here."""
    return render(request, "change_password.html", page_actor(request, changing_password=True))


@router.post("/password")
def change_password(request: Request, db: DbDep, now: NowDep, current_password: Annotated[str, Form()],
                    password: Annotated[str, Form()], csrf_token: Annotated[str | None, Form()] = None):
    check_csrf(request, csrf_token)
    actor = page_actor(request, changing_password=True)
    try:
        with db.write() as session:
            invitations.change(session, actor.user_id, current_password[:200], password[:200], now)
    except Invalid as exc:
        return render(request, "change_password.html", actor, error=refusal_text(exc, lang_of(request)), status_code=422)
    request.session.pop("must_change", None)
    return redirect("/tasks")


def _t(key: str, request: Request) -> str:
    return i18n.gettext(key, lang_of(request))
