"""The FastAPI application factory."""
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api import errors
from api.body_limit import BodyLimit
from api.features import plug_lifecycles
from api.headers import SecurityHeaders
from api.pages import auth as auth_pages, inbox as inbox_pages, overview as overview_pages, tasks as task_pages
from api.pages.common import LoginRequired, PasswordChangeRequired, redirect
from api.pages import error_pages, notices as notice_pages, process as process_pages
from api.routes import auth, notices as notice_routes, passwords, subjects, tasks
from services.bootstrap import build_registry
from store.config import get_settings
from store.db import Database, get_database

STATIC = Path(__file__).resolve().parent / "static"


def create_app(db: Database | None = None) -> FastAPI:
    settings = get_settings()
    registry = build_registry()  # every lifecycle plugged in; a bad policy file stops start-up here
    app = FastAPI(title="courtflow", version="0.1.0", docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.state.db = db or get_database()
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="courtflow_session",
                       max_age=settings.session_max_age_seconds, same_site="lax",
                       https_only=settings.environment == "production")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    error_pages.install(app)  # a browser's page answers a page, not the API's JSON

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired):
        return redirect(f"/login?next={request.url.path}")

    @app.exception_handler(PasswordChangeRequired)
    async def _password_change_required(_request: Request, _exc: PasswordChangeRequired):
        return redirect("/password")

    for module in (auth, passwords, tasks):
        app.include_router(module.router)
    app.state.shell = plug_lifecycles(app, registry.lifecycles)
    for module in (notice_routes, notice_pages):  # the notice centre is everyone's, no lifecycle's
        app.include_router(module.router)
    notice_pages.plug(app.state.shell)
    inbox_pages.plug(app.state.shell)  # the team inbox's pages are the shell's too: every lifecycle has tasks
    app.include_router(subjects.router)  # the generic /{kind}/{id} routes go last
    for module in (auth_pages, inbox_pages, task_pages, overview_pages, process_pages):
        app.include_router(module.router)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")  # outermost: errors get them too
    return app

