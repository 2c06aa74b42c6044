"""My tasks, and the generic subject page where a task is acted on."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.pages.common import lang_of, page_actor, redirect, render
from api.pages.forms import fire_from_form, form_fields
from api.pages.process import picture
from api.pages.slots import shell_of
from api.pages.subject_view import case_about, due_mark, extension_details, subject_facts, task_details, task_places
from services.kernel.clock import local_today
from services.kernel import engine as transitions
from services.kernel.registry import subject_kind
from services.kernel.record import timeline
from services.kernel.tasks import my_tasks, task_link
from api.params import IdPath, Kind

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html


@router.get("/tasks")
def tasks_page(request: Request, db: DbDep, now: NowDep):
    """The inbox of the logged-in user: overdue and due-within-3-days marked, counted in the heading;
    filtered by kind and by court or division, sorted by due date (soonest first, or latest first)."""
    actor = page_actor(request)
    q = request.query_params
    today = local_today(now)
    with db.read() as session:
        tasks = my_tasks(session, actor)
        places = task_places(session, tasks)
    marks = {t.id: due_mark(t.due_on, today) for t in tasks}
    counts = {"all": len(tasks), "overdue": sum(m == "overdue" for m in marks.values()),
              "soon": sum(m == "soon" for m in marks.values())}
    kinds = sorted({t.kind for t in tasks})
    chosen = {"kind": q.get("kind") if q.get("kind") in kinds else "",
              "place": q.get("place") if q.get("place") in places else "", "order": "desc" if q.get("order") == "desc" else "asc"}
    shown = [t for t in tasks if (not chosen["kind"] or t.kind == chosen["kind"])
             and (not chosen["place"] or chosen["place"] in (f"c{t.court_id}", f"d{t.division_id}"))]
    undated = [t for t in shown if t.due_on is None]
    dated = sorted((t for t in shown if t.due_on is not None), key=lambda t: (t.due_on, t.id),
                   reverse=chosen["order"] == "desc")
    return render(request, "tasks.html", actor, tasks=dated + undated, task_link=task_link, marks=marks,
                  counts=counts, kinds=kinds, places=places, chosen=chosen, today=today)


def subject_context(request: Request, db, actor, kind_name: str, subject_id: int, now) -> dict:
    kind = subject_kind(kind_name)
    subject = transitions.view(db, actor, kind_name, subject_id, now)
    lang = lang_of(request)
    offered = transitions.event_choices(db, actor, kind_name, subject_id, subject["allowed_events"], now)
    actions = [(kind.events[e], form_fields(kind.events[e].payload, lang, f"{kind.name}.{e}", offered.get(e)))
               for e in subject["allowed_events"]]
    history = timeline(db, kind_name, subject_id)
    with db.read() as session:
        row = session.get(kind.model, subject_id) if kind.variants else None
        facts = subject_facts(session, kind_name, subject, lang, local_today(now), actor)
        about = case_about(session, subject.get("case_id"), local_today(now), actor)
        task = task_details(session, actor, subject_id, local_today(now)) if kind_name == "tasks" else None
        extension = extension_details(session, subject_id, local_today(now), lang) if kind_name == "extensions" else None
        kind_sections = shell_of(request).kind_sections(session, actor, kind_name, subject_id, local_today(now))
    return {"kind": kind, "subject": subject, "actions": actions, "timeline": history,
            "picture": picture(kind_name, subject["state"], history, row),
            "facts": facts, "about": about, "task": task,
            "extension": extension, "kind_sections": kind_sections}


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
        return render(request, "subject.html", actor, status_code=fired.status_code, error=fired.error, failed=fired,
                      **context)
    page = f"/cases/{subject_id}" if kind_name == "cases" else f"/s/{kind_name}/{subject_id}"
    return redirect(f"{page}?done={kind_name}.{fired.event}")
