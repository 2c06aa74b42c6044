"""The OAuth2 password flow: a username and password buy a bearer token."""
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CurrentActor, DbDep, NowDep
from api.security import issue_token
from api.responses import Me, Token
from services.auth import authenticate

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", response_model=Token)
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], db: DbDep, now: NowDep):
    """Exchange a username and password for a bearer token."""
    actor = authenticate(db, form.username, form.password, now)
    if actor is None:
        raise HTTPException(401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"})
    return {"access_token": issue_token(actor.user_id), "token_type": "bearer"}


@router.get("/me", response_model=Me)
def me(actor: CurrentActor):
    """Who the token belongs to, with their grants."""
    return {"id": actor.user_id, "username": actor.username, "display_name": actor.display_name,
            "language": actor.language,
            "grants": [{"role": g.role, "court_id": g.court_id, "division_id": g.division_id,
                        "include_subtree": g.include_subtree} for g in actor.grants]}
