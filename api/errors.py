"""Errors speak: 404 for what is not there or not yours, 409 refused or stale, 422 naming the field."""
import logging
import math

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError

from services.kernel.errors import Conflict, Forbidden, Invalid, NotFound, Refused
from services.kernel.invariants import refusal_for

log = logging.getLogger(__name__)


def json_safe(value):
    """What JSON can carry: the echoed input of `1e999` or `NaN` is infinite or not a number, which JSON has no
    word for (FastAPI's own handler then fails with a 500); such numbers are echoed as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return value


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, exc: RequestValidationError):
        """Malformed JSON, a wrong content type or a value out of bounds: 422 naming the field."""
        return JSONResponse({"detail": json_safe(jsonable_encoder(exc.errors()))}, status_code=422)

    @app.exception_handler(DataError)
    async def _data_refused(_: Request, exc: DataError):
        """The database refused a value (out of range, a NUL character): bad input, not a server fault. The edge
        bounds (api/params.py, services/kernel/bounds.py) should have caught it first, so it is logged to be bounded."""
        log.warning("the database refused a request's value: %s", exc.orig)
        return JSONResponse({"detail": [{"loc": ["request"], "msg": "a value is out of range or malformed",
                                         "type": "value_error"}]},
                            status_code=422)

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound):
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(Forbidden)
    async def _forbidden(_: Request, exc: Forbidden):
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(Refused)
    async def _refused(_: Request, exc: Refused):
        return JSONResponse({"detail": exc.reason, "allowed_events": exc.allowed_events}, status_code=409)

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict):
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(Invalid)
    async def _invalid(_: Request, exc: Invalid):
        return JSONResponse({"detail": [{"loc": exc.field.split("."), "msg": exc.message, "type": "value_error"}]},
                            status_code=422)

    @app.exception_handler(IntegrityError)
    async def _database_rule(request: Request, exc: IntegrityError):
        """A command outside fire/on_case that hit a unique index: the same 409 its own check gives."""
        refusal = refusal_for(exc)
        return await (_refused(request, refusal) if isinstance(refusal, Refused) else _conflict(request, refusal))
