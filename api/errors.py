"""Errors speak: 404 for what is not there or not yours, 409 refused or stale, 422 naming the field.

Every error body carries `code` (the message id of the catalogs), `message` (its text in the caller's
language: their setting, else `Accept-Language`, else Chinese) and `params`; `detail` keeps the English
text (for a 422, the list of fields) that scripts and logs read.
"""
import logging
import math

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError

import i18n
from services.kernel.errors import Conflict, Forbidden, Invalid, NotFound, Refused, Spoken
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


def caller_language(request: Request) -> str:
    """The language of the person calling: their own setting (the bearer's, put on `request.state` by
    api/deps.py), else the first of `Accept-Language` we speak, else Chinese."""
    return i18n.language(getattr(request.state, "language", None)
                         or i18n.from_accept_language(request.headers.get("accept-language")))


def field_label(field: str, lang: str) -> str:
    """A field as the form names it (`payload.reason` → 理由): the catalog's `field.<name>`."""
    name = next((part for part in reversed(field.split(".")) if part and not part.isdigit()), field)
    return i18n.label("field", name, lang)


def spoken(exc: Spoken, lang: str) -> str:
    """The message a person reads; for bad input, led by the field it is about."""
    if isinstance(exc, Invalid):
        return i18n.gettext("invalid_field", lang, field=field_label(exc.field, lang), message=exc.text(lang))
    return exc.text(lang)


def error_body(exc: Spoken, lang: str, **extra) -> dict:
    params = {**exc.params, **({"field": exc.field} if isinstance(exc, Invalid) else {})}
    return {"code": exc.message_id, "message": spoken(exc, lang), "params": json_safe(jsonable_encoder(params)),
            **extra}


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _request_invalid(request: Request, exc: RequestValidationError):
        """Malformed JSON, a wrong content type or a value out of bounds: 422 naming the field (the first
        one is spoken; `detail` lists them all)."""
        errors = exc.errors()
        first = Invalid.from_pydantic(errors[0]) if errors else Invalid("body", "validation.invalid", msg="")
        return JSONResponse(error_body(first, caller_language(request),
                                       detail=json_safe(jsonable_encoder(errors))), status_code=422)

    @app.exception_handler(DataError)
    async def _data_refused(request: Request, exc: DataError):
        """The database refused a value (out of range, a NUL character): bad input, not a server fault. The edge
        bounds (api/params.py, services/kernel/bounds.py) should have caught it first, so it is logged to be bounded."""
        log.warning("the database refused a request's value: %s", exc.orig)
        invalid = Invalid("request", "validation.out_of_range")
        return JSONResponse(error_body(invalid, caller_language(request),
                                       detail=[{"loc": ["request"], "msg": invalid.message, "type": "value_error"}]),
                            status_code=422)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return JSONResponse(error_body(exc, caller_language(request), detail=str(exc)), status_code=404)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return JSONResponse(error_body(exc, caller_language(request), detail=str(exc)), status_code=403)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused):
        return JSONResponse(error_body(exc, caller_language(request), detail=exc.reason,
                                       allowed_events=exc.allowed_events), status_code=409)

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        return JSONResponse(error_body(exc, caller_language(request), detail=str(exc)), status_code=409)

    @app.exception_handler(Invalid)
    async def _invalid(request: Request, exc: Invalid):
        detail = [{"loc": exc.field.split("."), "msg": exc.message, "type": "value_error"}]
        return JSONResponse(error_body(exc, caller_language(request), detail=detail), status_code=422)

    @app.exception_handler(IntegrityError)
    async def _database_rule(request: Request, exc: IntegrityError):
        """A command outside fire/on_case that hit a unique index: the same 409 its own check gives."""
        refusal = refusal_for(exc)
        return await (_refused(request, refusal) if isinstance(refusal, Refused) else _conflict(request, refusal))
