"""The notice centre (/notices) and the person's notice settings (/settings/notifications)."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import DbDep, NowDep
import i18n
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.params import IdPath as Id
from notifications.channels import KINDS
from services.kernel import my_channels
from services.kernel import notices
from services.kernel.errors import NotFound, Refused

router = APIRouter(tags=["pages"])
PAGE_SIZE = 20


@router.get("/notices")
def notices_page(request: Request, db: DbDep, unread: bool = False,
                 page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    """My notices newest first, the unread ones marked, each linking to its subject."""
    actor = page_actor(request)
    with db.read() as session:
        total, items = notices.my_notices(session, actor.user_id, lang_of(request), unread_only=unread,
                                          offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render(request, "notices.html", actor, items=items, total=total, page=page, unread=unread,
                  pages=max(1, -(-total // PAGE_SIZE)))


@router.post("/notices/read-all")
async def read_all(request: Request, db: DbDep, now: NowDep):
    actor = page_actor(request)
    check_csrf(request, (await request.form()).get("csrf_token"))
    with db.write() as session:
        notices.mark_all_read(session, actor.user_id, now)
    return redirect("/notices")


@router.post("/notices/{notice_id}/read")
async def read_one(request: Request, notice_id: Id, db: DbDep, now: NowDep):
    """Mark one read; another person's notice is 404 like one that does not exist."""
    actor = page_actor(request)
    check_csrf(request, (await request.form()).get("csrf_token"))
    with db.write() as session:
        notices.mark_read(session, actor.user_id, notice_id, now, lang_of(request))
    return redirect("/notices")


def _settings_page(request: Request, db, actor, status_code: int = 200, error: str | None = None, form=None):
    with db.read() as session:
        channels = my_channels.my_channels(session, actor.user_id)
        settings = my_channels.notice_settings(session, actor.user_id)
    return render(request, "notice_settings.html", actor, status_code=status_code, error=error, kinds=KINDS,
                  channels=channels, settings=settings, form=form or {},
                  ok=request.query_params.get("ok", ""))


def _failed(request: Request, db, actor, exc: Exception, form=None):
    """The settings page again, saying in the reader's language what was wrong (422) or refused (409)."""
    lang = lang_of(request)
    if isinstance(exc, my_channels.ChannelInvalid):
        field_key = {"kind": "ch_kind", "target": "ch_target"}.get(exc.field, exc.field)
        label = i18n.gettext(field_key, lang)
        return _settings_page(request, db, actor, 422, f"{label}：{exc.text(lang)}", form)
    return _settings_page(request, db, actor, 409 if isinstance(exc, Refused) else 404, exc.text(lang), form)


@router.get("/settings/notifications")
def settings_page(request: Request, db: DbDep):
    """My channels (masked), add / test / deactivate, and quiet hours."""
    return _settings_page(request, db, page_actor(request))


@router.post("/settings/notifications/channels")
async def add_channel(request: Request, db: DbDep, now: NowDep):
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    try:
        my_channels.add_channel(db, actor, str(form.get("kind", "")), str(form.get("target", "")), now,
                                str(form.get("label", "")))
    except (my_channels.ChannelInvalid, Refused) as exc:
        return _failed(request, db, actor, exc, {k: v for k, v in form.items() if k in ("kind", "label")})
    return redirect("/settings/notifications?ok=channel_added")


@router.post("/settings/notifications/channels/{channel_id}/test")
async def test_channel(request: Request, channel_id: Id, db: DbDep, now: NowDep):
    actor = page_actor(request)
    check_csrf(request, (await request.form()).get("csrf_token"))
    try:
        my_channels.send_test(db, actor, channel_id, now)
    except (Refused, NotFound) as exc:
        return _failed(request, db, actor, exc)
    return redirect("/settings/notifications?ok=test_sent")


@router.post("/settings/notifications/channels/{channel_id}/deactivate")
async def deactivate_channel(request: Request, channel_id: Id, db: DbDep, now: NowDep):
    actor = page_actor(request)
    check_csrf(request, (await request.form()).get("csrf_token"))
    try:
        my_channels.deactivate_channel(db, actor, channel_id, now)
    except NotFound as exc:
        return _failed(request, db, actor, exc)
    return redirect("/settings/notifications?ok=channel_deactivated")


@router.post("/settings/notifications/timing")
async def notice_timing(request: Request, db: DbDep, now: NowDep):
    """Quiet hours and the daily digest."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    try:
        my_channels.set_notice_settings(db, actor, str(form.get("quiet_start", "")), str(form.get("quiet_end", "")),
                                        form.get("daily_digest") == "on", now)
    except my_channels.ChannelInvalid as exc:
        return _failed(request, db, actor, exc)
    return redirect("/settings/notifications?ok=timing_saved")


def plug(shell) -> None:
    """The notice centre's texts (the header's bell links here for everyone logged in)."""
