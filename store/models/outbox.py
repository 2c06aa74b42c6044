"""The outbox: notices written in the command's transaction, delivered afterwards."""
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from store.models.base import aware, json_field, utcnow


class Notice(SQLModel, table=True):
    __table_args__ = (Index("ix_notice_pending", "state", "next_attempt_at"),
                      Index("ix_notice_recipient_unread", "recipient_user_id", "read_at"))
    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, description="at most one notice per key, e.g. deadline:42:7")
    kind: str = Field(description="the message template's name")
    recipient_user_id: int = Field(foreign_key="users.id", index=True)
    court_id: int | None = Field(default=None, foreign_key="court.id")
    subject_kind: str = ""
    subject_id: int | None = None
    context: dict = json_field(dict)
    state: str = "pending"
    attempts: int = 0
    next_attempt_at: datetime | None = aware()
    claimed_at: datetime | None = aware()
    claimed_until: datetime | None = aware()
    """The claim's lease: a run that stops renewing it (killed, hung) loses the notice when it expires."""
    claim_token: str | None = None
    """Which claim holds the notice; the outcome is written only while this is still ours."""
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
    sent_at: datetime | None = aware()
    last_error: str = ""
    read_at: datetime | None = aware()
    """When the recipient read it in the notice centre (站内通知); every notice is there, whatever its state."""


class DeliveryAttempt(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    channel_id: int | None = Field(default=None, foreign_key="channel.id")
    at: datetime = aware(nullable=False, default_factory=utcnow)
    ok: bool
    error: str = ""
