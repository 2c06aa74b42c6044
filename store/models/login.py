"""Login throttling: failed attempts per account and per address, and the lockout they lead to.

Kept in the database so every API process counts the same failures; one row per (scope, key),
updated under a row lock (PostgreSQL) or the write lock (SQLite), so concurrent guesses cannot
slip past the limit."""
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import aware


class LoginThrottle(SQLModel, table=True):
    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_login_throttle_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16, description="account (the username typed) or address (the client's IP)")
    key: str = Field(max_length=200)
    failures: int = Field(default=0, description="failed attempts since window_start")
    window_start: datetime | None = aware()
    locked_until: datetime | None = aware()
