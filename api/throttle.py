"""How a login lockout is answered: 429, the time it ends in the court's time zone, Retry-After."""
import math
from datetime import datetime

from fastapi import Request
from fastapi.responses import JSONResponse

import i18n
from i18n.words import datetime_words
from services.kernel.auth import LoginLocked
from services.kernel.clock import COURT_TZ


def client_address(request: Request) -> str:
    """The peer's address (behind a proxy, run uvicorn with --proxy-headers so this is the client's)."""
    return request.client.host if request.client else ""


def locked_text(locked: LoginLocked, lang: str) -> str:
    return i18n.gettext("login_locked", lang, until=datetime_words(locked.until.astimezone(COURT_TZ), lang))


def retry_after(locked: LoginLocked, now: datetime) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil((locked.until - now).total_seconds())))}


def locked_response(request: Request, locked: LoginLocked, now: datetime) -> JSONResponse:
    lang = i18n.from_accept_language(request.headers.get("accept-language")) or i18n.DEFAULT
    return JSONResponse({"detail": locked_text(locked, lang), "locked_until": locked.until.isoformat()},
                        status_code=429, headers=retry_after(locked, now))
