"""The court overview page."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.pages.common import page_actor, redirect, render
from services.calendar_today import local_today
from services.overview import court_overview

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html


@router.get("/")
def home(request: Request):
    """Start at the inbox."""
    return redirect("/tasks" if request.session.get("uid") else "/login")


@router.get("/overview")
def overview(request: Request, db: DbDep, now: NowDep):
    """Counts per visible court: pending, overdue, due within 30 days, open tasks."""
    actor = page_actor(request)
    with db.read() as session:
        rows = court_overview(session, actor, local_today(now))
    return render(request, "overview.html", actor, rows=rows)
