"""My tasks, and the generic subject page where a task is acted on."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import select

from api.deps import DbDep, NowDep
from api.i18n import translate
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import form_fields, payload_from_form
from api.params import IdPath, Kind
from services import transitions
from services.errors import Conflict, Invalid, Refused
from services.subjects import subject_kind
from services.tasks import my_tasks, task_link
from store.models import TraceEntry

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html


@router.get("/tasks")
def tasks_page(request: Request, db: DbDep):
    """The inbox of the logged-in user."""
    actor = page_actor(request)
    with db.read() as session:
        tasks = my_tasks(session, actor)
    return render(request, "tasks.html", actor, tasks=tasks, task_link=task_link)


def timeline(db, kind: str, subject_id: int, limit: int = 100) -> list[TraceEntry]:
    with db.read() as session:
        stmt = (select(TraceEntry).where(TraceEntry.subject_kind == kind, TraceEntry.subject_id == subject_id)
                .order_by(TraceEntry.seq.desc()).limit(limit))
        return list(session.exec(stmt).all())


def subject_context(request: Request, db, actor, kind_name: str, subject_id: int, now) -> dict:
    kind = subject_kind(kind_name)
    subject = transitions.view(db, actor, kind_name, subject_id, now)
    lang = request.session.get("lang", "zh")
    actions = [(kind.events[e], form_fields(kind.events[e].payload, lang)) for e in subject["allowed_events"]]
    return {"kind": kind, "subject": subject, "actions": actions, "timeline": timeline(db, kind_name, subject_id)}


@router.get("/s/{kind_name}/{subject_id}")
def subject_page(request: Request, kind_name: Kind, subject_id: IdPath, db: DbDep, now: NowDep):
    """A subject's state, the actions open to the caller as buttons, and its timeline."""
    actor = page_actor(request)
    return render(request, "subject.html", actor, **subject_context(request, db, actor, kind_name, subject_id, now))


@router.post("/s/{kind_name}/{subject_id}/fire")
async def subject_fire(request: Request, kind_name: Kind, subject_id: IdPath, db: DbDep, now: NowDep):
    """Fire an event from the page's form; a refusal is shown on the same page."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    kind = subject_kind(kind_name)
    event = form.get("event", "")
    spec = kind.events.get(event)
    payload = payload_from_form(spec.payload, form) if spec else {}
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    try:
        transitions.fire(db, actor, kind_name, subject_id, event, payload, now, version)
    except (Refused, Conflict, Invalid) as exc:
        error = translate("conflict", lang_of(request)) if isinstance(exc, Conflict) else (
            getattr(exc, "reason", None) or str(exc))
        context = subject_context(request, db, actor, kind_name, subject_id, now)
        return render(request, "subject.html", actor, status_code=409 if not isinstance(exc, Invalid) else 422,
                      error=error, **context)
    page = f"/cases/{subject_id}" if kind_name == "cases" else f"/s/{kind_name}/{subject_id}"
    return redirect(f"{page}?done={event}")
