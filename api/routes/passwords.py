"""A person's own password: set from a one-time link (invitation or reset), or changed (the first-login change
too). No administrator sets or sees one (services/admin/invitations.py)."""
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from api.deps import ChangingActor, DbDep, NowDep
from services.admin import invitations
from services.kernel.subjects import Payload

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
Token = Annotated[str, Path(min_length=20, max_length=100, description="the one-time link's token")]


class SetPassword(Payload):
    password: Annotated[str, Field(max_length=200)]


class ChangePassword(Payload):
    current_password: Annotated[str, Field(max_length=200)]
    password: Annotated[str, Field(max_length=200)]


@router.post("/invitations/{token}")
def set_password(body: SetPassword, db: DbDep, now: NowDep, token: Token):
    """Set one's password from a one-time link (the link is the proof: no login); 404 for a used, expired or
    unknown link, 422 naming the rule of the password policy broken. The link is spent."""
    with db.write() as session:
        return {"username": invitations.redeem(session, token, body.password, now).username}


@router.post("/password")
def change_password(body: ChangePassword, actor: ChangingActor, db: DbDep, now: NowDep):
    """Change one's own password, giving the current one first."""
    with db.write() as session:
        invitations.change(session, actor.user_id, body.current_password, body.password, now)
        return {"changed": True}
