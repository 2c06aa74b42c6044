"""Quota-exit pages: personnel's board, the judge's proceeding page, the committee's review page with
every submission, the printable documents and the evidence files. Actions post to one form route,
which fires the event; evidence files go to their own route, which streams them (api/uploads.py)."""
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api.deps import DbDep, NowDep
import i18n
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import fire_from_form, form_fields, refusal_text
from services.kernel.record import timeline
from services.kernel import engine as transitions
from services.kernel.clock import local_today
from services.quota_exit.labels import DOCUMENTS, GROUNDS, OUTCOMES, SUBMISSIONS, WINDOWS
from services.quota_exit.queries import board, document, evidence_file, submissions_of
from services.quota_exit.documents import documents_of
from services.quota_exit.windows import open_window_of, windows_of
from services.kernel.registry import subject_kind
from api.params import IdPath, page_filter
from api.uploads import read_evidence_form
from policies.evidence_files import EvidenceRefused
from services.kernel.errors import Conflict, Invalid, Refused
from services.quota_exit.uploads import evidence_rules
from store.evidence import UploadTooLarge, release
from store.models import User

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html
KIND = "exit_proceedings"
OFFICIAL_ROLES = {"personnel", "committee", "president", "vice_president"}



def _labels(lang: str) -> dict:
    """The words for the proceeding's codes in the reader's language, by table (`labels.grounds[code]`)."""
    return {name: {code: i18n.label(prefix, code, lang) for code in codes} for name, prefix, codes in (
        ("grounds", "exit_ground", GROUNDS), ("outcomes", "exit_outcome", OUTCOMES), ("windows", "exit_window", WINDOWS),
        ("submissions", "exit_submission", SUBMISSIONS), ("documents", "exit_document", DOCUMENTS))}


@router.get("/exits")
def exits_board(request: Request, db: DbDep, now: NowDep):
    """Personnel's board: every proceeding the user may see, the window running and its countdown."""
    actor = page_actor(request)
    state = page_filter(request, "state")
    with db.read() as session:
        rows = board(session, actor, local_today(now), state)
    return render(request, "quota_exit/exits.html", actor, rows=rows, labels=_labels(lang_of(request)))


def _context(request: Request, db, actor, proceeding_id: int, now) -> dict:
    kind = subject_kind(KIND)
    subject = transitions.view(db, actor, KIND, proceeding_id, now)  # 404 when not visible
    lang = lang_of(request)
    actions = [(kind.events[e], form_fields(kind.events[e].payload, lang, f"{kind.name}.{e}")) for e in subject["allowed_events"]]
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
    return render(request, "quota_exit/exit.html", actor, **_context(request, db, actor, proceeding_id, now))


@router.get("/exits/{proceeding_id}/review")
def exit_review_page(request: Request, proceeding_id: IdPath, db: DbDep, now: NowDep):
    """The committee's review: every submission in full, attached or not, and the committee's actions."""
    actor = page_actor(request)
    return render(request, "quota_exit/exit_review.html", actor, **_context(request, db, actor, proceeding_id, now))


def _refused_page(request, db, actor, proceeding_id, now, exc, back: str):
    """A refusal or a refused file, shown on the page the form came from."""
    return _page_with_error(request, db, actor, proceeding_id, now, back, refusal_text(exc, lang_of(request)),
                            422 if isinstance(exc, Invalid) else 409)


def _page_with_error(request, db, actor, proceeding_id, now, back: str, error: str, status_code: int):
    template = "quota_exit/exit_review.html" if back == "review" else "quota_exit/exit.html"
    return render(request, template, actor, status_code=status_code, error=error,
                  **_context(request, db, actor, proceeding_id, now))


@router.post("/exits/{proceeding_id}/evidence")
async def exit_evidence_upload(request: Request, proceeding_id: IdPath, db: DbDep, now: NowDep):
    """The evidence form, streamed like the API's upload: who may add evidence is checked before the body is
    read, the file is refused as soon as it passes the limit, and the CSRF token is checked before it is filed."""
    actor = page_actor(request)
    rules = await run_in_threadpool(evidence_rules, db, actor, proceeding_id, now)
    try:
        token, fields = await read_evidence_form(request, rules, (actor.user_id, proceeding_id))
    except UploadTooLarge as exc:
        return _refused_page(request, db, actor, proceeding_id, now,
                             Invalid("file", "exit_file_too_large", limit=exc.max_bytes // (1024 * 1024)), "")
    except EvidenceRefused as exc:
        return _refused_page(request, db, actor, proceeding_id, now, Invalid("file", exc.message_id, **exc.params), "")
    except Invalid as exc:
        return _refused_page(request, db, actor, proceeding_id, now, exc, "")
    back = fields.get("back") if fields.get("back") in ("review", "") else ""
    try:
        check_csrf(request, fields.get("csrf_token"))
        version = int(fields["version"]) if fields.get("version", "").isdigit() else None
        payload = {"filename": "upload", "upload": token, "description": fields.get("description", "")}
        await run_in_threadpool(transitions.fire, db, actor, KIND, proceeding_id, "add_evidence", payload, now,
                                version)
    except (Refused, Conflict, Invalid) as exc:
        return _refused_page(request, db, actor, proceeding_id, now, exc, back)
    finally:
        release(token)
    return redirect(f"/exits/{proceeding_id}{'/review' if back == 'review' else ''}?done=exit_proceedings.add_evidence")


@router.post("/exits/{proceeding_id}/fire")
async def exit_fire(request: Request, proceeding_id: IdPath, db: DbDep, now: NowDep):
    """Fire an event from a form (files included); a refusal or a refused file is shown on the same page."""
    actor = page_actor(request)
    fired = await fire_from_form(request, db, actor, now, KIND, proceeding_id)
    back = "review" if (await request.form()).get("back") == "review" else ""
    if fired.error:
        return _page_with_error(request, db, actor, proceeding_id, now, back, fired.error, fired.status_code)
    return redirect(f"/exits/{proceeding_id}{'/review' if back == 'review' else ''}?done=exit_proceedings.{fired.event}")


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


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("exit_board", "/exits", OFFICIAL_ROLES, group="manage")
