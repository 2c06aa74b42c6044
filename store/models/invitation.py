"""One-time links to set a password: an invitation for a new account, or a reset.

Only the SHA-256 of the token is kept; the link itself is shown once to the person who asked
for it (or sent to the account's channels), so no administrator ever sees a password."""
from datetime import datetime

from sqlmodel import Field, SQLModel

from store.models.base import aware, utcnow


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_sha256: str = Field(index=True, unique=True, max_length=64)
    purpose: str = Field(description="invite or reset")
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    expires_at: datetime = aware(nullable=False)
    used_at: datetime | None = aware()
