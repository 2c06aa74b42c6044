"""Errors speak: 404 for what is not there or not yours, 409 refused or stale, 422 naming the field."""
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from services.kernel.errors import Conflict, Invalid, NotFound, Refused
from services.kernel.invariants import refusal_for


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound):
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(Refused)
    async def _refused(_: Request, exc: Refused):
        return JSONResponse({"detail": exc.reason, "allowed_events": exc.allowed_events}, status_code=409)

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict):
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(Invalid)
    async def _invalid(_: Request, exc: Invalid):
        return JSONResponse({"detail": [{"loc": exc.field.split("."), "msg": exc.message}]}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _database_rule(request: Request, exc: IntegrityError):
        """A command outside fire/on_case that hit a unique index: the same 409 its own check gives."""
        refusal = refusal_for(exc)
        return await (_refused(request, refusal) if isinstance(refusal, Refused) else _conflict(request, refusal))
