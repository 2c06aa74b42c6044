"""My tasks, and the generic subject page where a task is acted on."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.pages.common import page_actor, redirect, render
from api.pages.forms import fire_from_form, form_fields
from services.kernel import engine as transitions
from services.kernel.registry import subject_kind
from services.kernel.record import timeline
from services.kernel.tasks import my_tasks, task_link
from api.params import IdPath, Kind

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html


@router.get("/tasks")
def tasks_page(request: Request, db: DbDep):
    """The inbox of the logged-in user."""
    actor = page_actor(request)
    with db.read() as session:
        tasks = my_tasks(session, actor)
    return render(request, "tasks.html", actor, tasks=tasks, task_link=task_link)


def subject_context(request: Request, db, actor, kind_name: str, subject_id: int, now) -> dict:
    kind = subject_kind(kind_name)
    subject = transitions.view(db, actor, kind_name, subject_id, now)
    lang = request.session.get("lang", "zh")
    actions = [(kind.events[e], form_fields(kind.events[e].payload, lang, f"{kind.name}.{e}")) for e in subject["allowed_events"]]
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
    fired = await fire_from_form(request, db, actor, now, kind_name, subject_id)
    if fired.error:
        context = subject_context(request, db, actor, kind_name, subject_id, now)
        return render(request, "subject.html", actor, status_code=fired.status_code, error=fired.error, **context)
    page = f"/cases/{subject_id}" if kind_name == "cases" else f"/s/{kind_name}/{subject_id}"
    return redirect(f"{page}?done={kind_name}.{fired.event}")
