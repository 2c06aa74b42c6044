"""The caller's notice centre (站内通知) and own channels and quiet hours, as JSON."""
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath
from services.kernel import my_channels
from services.kernel import notices

router = APIRouter(prefix="/api/v1", tags=["notices"])


class NoticeOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None
    unread: bool
    subject_kind: str
    subject_id: int | None
    subject_url: str | None = Field(description="the page of the notice's subject, if it has one")
    delivery: str = Field(description="external delivery: pending, sending, sent, in_app, digest, digested, dead, …")


class NoticePage(BaseModel):
    total: int
    unread: int
    offset: int
    limit: int
    items: list[NoticeOut]


class Marked(BaseModel):
    marked: int


class ChannelOut(BaseModel):
    id: int
    kind: str
    label: str
    target: str = Field(description="masked: scheme and host at most, never a token or password")
    active: bool


class Queued(BaseModel):
    notice_id: int


def notice_out(view: notices.NoticeView) -> NoticeOut:
    return NoticeOut(**asdict(view), unread=view.unread)


@router.get("/notices", response_model=NoticePage)
def list_notices(actor: CurrentActor, db: DbDep, unread: bool = False,
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                 limit: Annotated[int, Query(ge=1, le=notices.MAX_PAGE)] = 50):
    """My notices, newest first; `unread=true` for the unread ones only."""
    with db.read() as session:
        total, page = notices.my_notices(session, actor.user_id, actor.language, unread_only=unread,
                                         offset=offset, limit=limit)
        unread_count = notices.unread_count(session, actor.user_id)
    return {"total": total, "unread": unread_count, "offset": offset, "limit": limit,
            "items": [notice_out(n) for n in page]}


@router.post("/notices/read-all", response_model=Marked)
def read_all(actor: CurrentActor, db: DbDep, now: NowDep):
    with db.write() as session:
        return {"marked": notices.mark_all_read(session, actor.user_id, now)}


@router.post("/notices/{notice_id}/read", response_model=NoticeOut)
def read_one(notice_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """Mark one of my notices read; another person's notice is 404."""
    with db.write() as session:
        return notice_out(notices.mark_read(session, actor.user_id, notice_id, now, actor.language))


class NewChannel(BaseModel):
    kind: Literal["email", "dingtalk", "wecom", "webhook", "apprise"]
    target: str = Field(min_length=1, max_length=my_channels.MAX_TARGET,
                        description="e-mail address, robot webhook address or token, http(s) URL, or Apprise URL")
    label: str = Field("", max_length=my_channels.MAX_LABEL)


class NoticeSettings(BaseModel):
    """Quiet hours (both times or neither) and the daily digest."""

    quiet_start: str = Field("", max_length=5, description="HH:MM in Asia/Shanghai; empty with quiet_end: none")
    quiet_end: str = Field("", max_length=5)
    daily_digest: bool = Field(False, description="non-urgent notices go out as one message a day at 08:00")


@router.get("/me/channels", response_model=list[ChannelOut])
def list_channels(actor: CurrentActor, db: DbDep):
    """My active channels, targets masked."""
    with db.read() as session:
        return [asdict(c) for c in my_channels.my_channels(session, actor.user_id)]


@router.post("/me/channels", status_code=201, response_model=ChannelOut)
def add_channel(body: NewChannel, actor: CurrentActor, db: DbDep, now: NowDep):
    """Add a channel once Apprise accepts it (422 naming `target` otherwise); shown back masked."""
    return asdict(my_channels.add_channel(db, actor, body.kind, body.target, now, body.label))


@router.delete("/me/channels/{channel_id}", response_model=ChannelOut)
def deactivate_channel(channel_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """Stop sending to one of my channels (kept, inactive, for the delivery history)."""
    return asdict(my_channels.deactivate_channel(db, actor, channel_id, now))


@router.post("/me/channels/{channel_id}/test", status_code=202, response_model=Queued)
def test_channel(channel_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """Queue a real test notice to this channel only; the delivery flow sends it on its next run."""
    return {"notice_id": my_channels.send_test(db, actor, channel_id, now)}


@router.get("/me/notice-settings", response_model=NoticeSettings)
def get_settings(actor: CurrentActor, db: DbDep):
    with db.read() as session:
        return my_channels.notice_settings(session, actor.user_id)


@router.put("/me/notice-settings", response_model=NoticeSettings)
def put_settings(body: NoticeSettings, actor: CurrentActor, db: DbDep, now: NowDep):
    """Quiet hours (non-urgent notices wait until they end before going out to external channels) and the
    daily digest (non-urgent notices go out as one message a day); urgent kinds ignore both."""
    return my_channels.set_notice_settings(db, actor, body.quiet_start, body.quiet_end, body.daily_digest, now)
