"""Annotated dependencies: the database, the clock, the current user (bearer token)."""
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer

from api.security import read_token
from services.kernel.actor import Actor
from services.kernel.auth import actor_for
from services.kernel.errors import Refused
from store.db import Database

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_db(request: Request) -> Database:
    """Async only so FastAPI calls it inline: a sync dependency costs a thread-pool hop per request."""
    return request.app.state.db


async def get_now() -> datetime:
    """The clock; tests override this dependency instead of sleeping (async for the reason get_db is)."""
    return datetime.now(timezone.utc)


DbDep = Annotated[Database, Depends(get_db)]
NowDep = Annotated[datetime, Depends(get_now)]


def _bearer(request: Request, db: Database, token: str | None) -> Actor:
    """The bearer token's user with their grants: one primary-key read, run on the event loop.

    A sync dependency would cost a thread hop on every API request; under 20 concurrent clients
    that hop (GIL hand-offs between the loop and the pool) cost more than the read (bench/RESULTS.md)."""
    user_id = read_token(token) if token else None
    actor = actor_for(db, user_id) if user_id else None
    if actor is None:
        raise HTTPException(401, "not authenticated", headers={"WWW-Authenticate": "Bearer"})
    request.state.language = actor.language  # the language the errors of this request speak (api/errors.py)
    return actor


async def get_changing_actor(request: Request, db: DbDep, token: Annotated[str | None, Depends(oauth2)]) -> Actor:
    """The token's user even while a password change is required."""
    return _bearer(request, db, token)


async def get_current_actor(request: Request, db: DbDep, token: Annotated[str | None, Depends(oauth2)]) -> Actor:
    """The token's user, refused every call but the password change while an administrator's reset stands.

    Not built on get_changing_actor: each dependency FastAPI solves costs the busiest API call ~0.05 ms."""
    actor = _bearer(request, db, token)
    if actor.must_change_password:
        raise Refused("refused.admin.password_change_required")
    return actor


ChangingActor = Annotated[Actor, Depends(get_changing_actor)]
"""The token's user even while a password change is required: only the change itself takes this."""
CurrentActor = Annotated[Actor, Depends(get_current_actor)]
