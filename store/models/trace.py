"""全程留痕: the append-only, hash-chained record of every action."""
from datetime import datetime

from sqlmodel import Field, SQLModel

from store.models.base import aware, json_field


class TraceEntry(SQLModel, table=True):
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = aware(nullable=False, index=True)
    actor: str
    actor_id: int | None = None
    action: str = Field(index=True)
    subject_kind: str = ""
    subject_id: int | None = None
    court_id: int | None = None
    why: str = ""
    before: dict = json_field(dict)
    after: dict = json_field(dict)
    prev_hash: str
    hash: str = Field(unique=True)
