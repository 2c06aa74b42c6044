"""A page a browser cannot open (not found, not allowed) answers a page in the reader's language, inside the
usual shell; the JSON API (/api/…) and callers not asking for HTML keep api/errors.py's JSON body."""
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.errors import caller_language, error_body, spoken
from api.pages.common import LoginRequired, PasswordChangeRequired, lang_of, page_actor, render
from services.kernel.errors import Forbidden, NotFound


def wants_a_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, exc, status: int):
    """What was not found or not allowed, said in the reader's language."""
    try:
        actor = page_actor(request)
    except (LoginRequired, PasswordChangeRequired):
        actor = None
    return render(request, "error.html", actor, status_code=status, message=spoken(exc, lang_of(request)), status=status)


def install(app: FastAPI) -> None:
    """Registered after api/errors.install: these handlers replace its NotFound and Forbidden ones."""
    for error, status in ((NotFound, 404), (Forbidden, 403)):
        app.add_exception_handler(error, _handler(status))


def _handler(status: int):
    async def answer(request: Request, exc):
        if wants_a_page(request):
            return error_page(request, exc, status)
        return JSONResponse(error_body(exc, caller_language(request), detail=str(exc)), status_code=status)
    return answer
