"""Quota-exit pages: personnel's board, the judge's proceeding page, the committee's review page with
every submission, the printable documents and the evidence files. Actions post to one form route,
which turns an uploaded file into the add_evidence payload and fires the event."""
import base64

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import DbDep, NowDep
from api.i18n import register_texts, translate
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import form_fields, payload_from_form
from api.pages.slots import add_nav_link
from api.pages.tasks import timeline
from api.params import IdPath, page_filter
from services import transitions
from services.calendar_today import local_today
from services.errors import Conflict, Invalid, Refused
from services.exit_documents import documents_of
from services.exit_labels import DOCUMENTS, GROUNDS, OUTCOMES, SUBMISSIONS, WINDOWS
from services.exit_queries import board, document, evidence_file, submissions_of
from services.exit_windows import open_window_of, windows_of
from services.subjects import subject_kind
from store.models import User

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html
KIND = "exit_proceedings"
OFFICIAL_ROLES = {"personnel", "committee", "president", "vice_president"}

register_texts({
    "exit_board": ("员额退出", "Quota exits"),
    "exit_proceeding": ("员额退出程序", "Quota-exit proceeding"),
    "exit_review": ("委员会审议", "Committee review"),
    "exit_judge": ("法官", "Judge"),
    "exit_path": ("退出途径", "Path"),
    "exit_ground": ("退出事由", "Ground"),
    "exit_grounds_text": ("理由", "Grounds"),
    "exit_grounds_evidence": ("理由和证据", "Grounds and evidence"),
    "exit_window": ("当前期限", "Window running"),
    "exit_windows": ("程序期限", "Windows"),
    "exit_closes_on": ("届满日", "Ends on"),
    "exit_submissions": ("提交材料", "Submissions"),
    "exit_documents": ("法律文书", "Formal documents"),
    "exit_outcome": ("决定", "Outcome"),
    "exit_opened_on": ("启动日期", "Opened on"),
    "exit_attached": ("已附卷", "Attached"),
    "exit_not_attached": ("未附卷", "Not attached"),
    "exit_late": ("逾期补充", "Filed late"),
    "exit_file": ("文件", "File"),
    "exit_print": ("打印", "Print"),
    "exit_no_proceedings": ("暂无员额退出事项", "No quota exits"),
    "exit_to_review": ("审议页面", "Review page"),
    "exit_to_proceeding": ("程序页面", "Proceeding page"),
    "exit_checks": ("审查情况", "Checks"),
    "exit_natural": ("自然退出", "natural exit"),
    "exit_application": ("申请退出", "application"),
    "exit_mandatory": ("应当退出", "mandatory exit"),
    "exit_party_judge": ("法官本人", "the judge"),
    "exit_party_personnel": ("政治部", "personnel"),
    "exit_party_committee": ("委员会", "committee"),
})
add_nav_link("exit_board", "/exits", OFFICIAL_ROLES)


def _labels(lang: str) -> dict:
    pick = 1 if lang == "en" else 0
    return {name: {k: v[pick] for k, v in table.items()} for name, table in (
        ("grounds", GROUNDS), ("outcomes", OUTCOMES), ("windows", WINDOWS), ("submissions", SUBMISSIONS),
        ("documents", DOCUMENTS))}


@router.get("/exits")
def exits_board(request: Request, db: DbDep, now: NowDep):
    """Personnel's board: every proceeding the user may see, the window running and its countdown."""
    actor = page_actor(request)
    state = page_filter(request, "state")
    with db.read() as session:
        rows = board(session, actor, local_today(now), state)
    return render(request, "exits.html", actor, rows=rows, labels=_labels(lang_of(request)))


def _context(request: Request, db, actor, proceeding_id: int, now) -> dict:
    kind = subject_kind(KIND)
    subject = transitions.view(db, actor, KIND, proceeding_id, now)  # 404 when not visible
    lang = lang_of(request)
    actions = [(kind.events[e], form_fields(kind.events[e].payload, lang)) for e in subject["allowed_events"]]
    with db.read() as session:
        judge = session.get(User, subject["judge_id"])
        window = open_window_of(session, proceeding_id)
        context = {"submissions": submissions_of(session, proceeding_id), "windows": windows_of(session, proceeding_id),
                   "documents": documents_of(session, proceeding_id), "window": window,
                   "days_left": (window.closes_on - local_today(now)).days if window else None,
                   "judge": judge}
    return {**context, "kind": kind, "subject": subject, "actions": actions, "labels": _labels(lang),
            "timeline": timeline(db, KIND, proceeding_id), "is_judge": actor.user_id == subject["judge_id"]}


@router.get("/exits/{proceeding_id}")
@router.get("/s/exit_proceedings/{proceeding_id}")
def exit_page(request: Request, proceeding_id: IdPath, db: DbDep, now: NowDep):
    """The proceeding: grounds and evidence, the window running with its countdown, the judge's rights as actions."""
    actor = page_actor(request)
    return render(request, "exit.html", actor, **_context(request, db, actor, proceeding_id, now))


@router.get("/exits/{proceeding_id}/review")
def exit_review_page(request: Request, proceeding_id: IdPath, db: DbDep, now: NowDep):
    """The committee's review: every submission in full, attached or not, and the committee's actions."""
    actor = page_actor(request)
    return render(request, "exit_review.html", actor, **_context(request, db, actor, proceeding_id, now))


async def _payload(spec, form) -> dict:
    upload = form.get("file")
    if spec.name != "add_evidence" or upload is None or isinstance(upload, str):
        return payload_from_form(spec.payload, {k: v for k, v in form.items() if isinstance(v, str)})
    return {"filename": upload.filename or "", "content_type": upload.content_type or "",
            "content_base64": base64.b64encode(await upload.read()).decode(),
            "description": form.get("description") or ""}


@router.post("/exits/{proceeding_id}/fire")
async def exit_fire(request: Request, proceeding_id: IdPath, db: DbDep, now: NowDep):
    """Fire an event from a form (files included); a refusal or a refused file is shown on the same page."""
    actor = page_actor(request)
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    spec = subject_kind(KIND).events.get(form.get("event", ""))
    back = form.get("back") if form.get("back") in ("review", "") else ""
    version = int(form["version"]) if str(form.get("version", "")).isdigit() else None
    try:
        payload = await _payload(spec, form) if spec else {}
        transitions.fire(db, actor, KIND, proceeding_id, form.get("event", ""), payload, now, version)
    except (Refused, Conflict, Invalid) as exc:
        error = translate("conflict", lang_of(request)) if isinstance(exc, Conflict) else (
            getattr(exc, "reason", None) or getattr(exc, "message", None) or str(exc))
        template = "exit_review.html" if back == "review" else "exit.html"
        return render(request, template, actor, status_code=422 if isinstance(exc, Invalid) else 409, error=error,
                      **_context(request, db, actor, proceeding_id, now))
    return redirect(f"/exits/{proceeding_id}{'/review' if back == 'review' else ''}?done={spec.name}")


@router.get("/exits/{proceeding_id}/documents/{kind}", response_class=HTMLResponse)
def exit_document(request: Request, proceeding_id: IdPath, kind: str, db: DbDep, now: NowDep):
    """A formal document as kept (printable HTML)."""
    actor = page_actor(request)
    with db.read() as session:
        transitions.load_visible(session, actor, subject_kind(KIND), proceeding_id)
        row = document(session, proceeding_id, kind)
    return HTMLResponse(row.html)


@router.get("/exits/{proceeding_id}/evidence/{submission_id}")
def exit_evidence(request: Request, proceeding_id: IdPath, submission_id: IdPath, db: DbDep, now: NowDep):
    """An evidence file, checked against its SHA-256."""
    actor = page_actor(request)
    row, data = evidence_file(db, actor, proceeding_id, submission_id, now)
    return Response(data, media_type=row.content_type,
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{_quote(row.filename)}"})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
