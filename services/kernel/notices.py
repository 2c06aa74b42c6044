"""The notice centre (站内通知): every notice addressed to a person, readable in-app whatever became
of its external delivery, with read marks. A person only ever reaches their own notices."""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, update
from sqlmodel import Session, select

from notifications.render import RenderError, render
from services.kernel.errors import NotFound
from services.kernel.registry import subject_kind
from store.models import Notice

SUBJECT_PAGES = {"cases": "/cases/{id}", "exit_proceedings": "/exits/{id}", "report": "/reports/{id}"}
"""Subjects with their own page; any other registered kind opens on the generic /s/{kind}/{id}."""
MAX_PAGE = 100


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None
    subject_kind: str
    subject_id: int | None
    subject_url: str | None
    delivery: str

    @property
    def unread(self) -> bool:
        return self.read_at is None


def subject_url(kind: str, subject_id: int | None) -> str | None:
    """The page a notice's subject opens on, or None when it has none."""
    if not kind or subject_id is None:
        return None
    if kind in SUBJECT_PAGES:
        return SUBJECT_PAGES[kind].format(id=subject_id)
    try:
        subject_kind(kind)
    except NotFound:
        return None
    return f"/s/{kind}/{subject_id}"


def view(notice: Notice, language: str) -> NoticeView:
    """The notice as its recipient reads it: the same template as the e-mail, in their language."""
    try:
        title, body = render(notice.kind, notice.context or {}, language)
    except RenderError:  # a notice whose template is broken is still shown, by its kind, not hidden
        title, body = notice.kind, ""
    return NoticeView(notice.id, notice.kind, title, body, _aware(notice.created_at), _aware(notice.read_at),
                      notice.subject_kind, notice.subject_id, subject_url(notice.subject_kind, notice.subject_id),
                      notice.state)


def _aware(at: datetime | None) -> datetime | None:
    """UTC with its zone: SQLite hands timestamps back naive."""
    return at if at is None or at.tzinfo else at.replace(tzinfo=timezone.utc)


def unread_count(session: Session, user_id: int) -> int:
    mine = (Notice.recipient_user_id == user_id, Notice.read_at.is_(None))
    return session.exec(select(func.count()).select_from(Notice).where(*mine)).one()


def my_notices(session: Session, user_id: int, language: str, *, unread_only: bool = False, offset: int = 0,
               limit: int = 50) -> tuple[int, list[NoticeView]]:
    """(how many match, one page of them newest first)."""
    mine = [Notice.recipient_user_id == user_id] + ([Notice.read_at.is_(None)] if unread_only else [])
    total = session.exec(select(func.count()).select_from(Notice).where(*mine)).one()
    page = session.exec(select(Notice).where(*mine).order_by(Notice.created_at.desc(), Notice.id.desc())
                        .offset(offset).limit(min(limit, MAX_PAGE))).all()
    return total, [view(n, language) for n in page]


def mark_read(session: Session, user_id: int, notice_id: int, now: datetime, language: str) -> NoticeView:
    """Mark one of my notices read (a second time keeps the first time); another person's is not found."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.recipient_user_id != user_id:
        raise NotFound("not_found.kernel.no_notice", notice_id=notice_id)
    session.exec(update(Notice).where(Notice.id == notice_id, Notice.read_at.is_(None)).values(read_at=now))
    session.refresh(notice)
    return view(notice, language)


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    """Mark every unread notice of mine read; returns how many."""
    stmt = update(Notice).where(Notice.recipient_user_id == user_id, Notice.read_at.is_(None)).values(read_at=now)
    return session.exec(stmt).rowcount
