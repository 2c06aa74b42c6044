"""Errors speak: 404 for what is not there or not yours, 409 refused or stale, 422 naming the field."""
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.errors import Conflict, Invalid, NotFound, Refused


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
