"""Login, logout and the language switch."""
from typing import Annotated

import i18n

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.pages.common import check_csrf, lang_of, redirect, render
from services.kernel.auth import LoginLocked, authenticate
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
