"""Case pages: the list with filters, my cases, and the case page (the generic subject page with case details)."""
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.pages.common import page_actor, redirect, render
from api.pages.forms import Fired, fire_from_form
from api.pages.slots import shell_of
from api.pages.tasks import subject_context
from services.kernel.clock import local_today
from services.cases.clock import days_left
from services.cases.queries import (STATE_GROUPS, STATES, case_record, find_cases, judge_names, list_cases,
                                    my_cases)
from api.params import IdPath
from services.kernel.bounds import MAX_DAYS, MAX_ID
from store.models import Case

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html
PER_PAGE = 50


def _date(value: str | None) -> date | None:
    """A date filter from the query string; one that is not a date is ignored."""
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _int(value: str | None, bound: int = MAX_ID) -> int | None:
    """A filter from the query string; one that is not a number or is out of bounds is ignored."""
    try:
        number = int(value) if value not in (None, "") and len(value) <= 20 else None
    except ValueError:
        return None
    return number if number is not None and abs(number) <= bound else None


@router.get("/cases")
def cases_page(request: Request, db: DbDep, now: NowDep):
    """Visible cases: filter by state, days left and judge; paged."""
    actor = page_actor(request)
    q = request.query_params
    state = q.get("state") if q.get("state") in STATES or q.get("state") in STATE_GROUPS else "pending"
    filters = {"state": state, "days_left_max": _int(q.get("days_left_max"), MAX_DAYS), "judge_id": _int(q.get("judge_id")),
               "days_left_min": _int(q.get("days_left_min"), MAX_DAYS), "court_id": _int(q.get("court_id")),
               "division_id": _int(q.get("division_id")), "filed_before": _date(q.get("filed_before"))}
    page = max(1, _int(q.get("page"), MAX_ID // PER_PAGE) or 1)
    with db.read() as session:
        rows, total, exact = list_cases(session.connection(), actor, **filters, page=page, per_page=PER_PAGE,
                                        today=local_today(now))
        everyone, _, _ = list_cases(session.connection(), actor, per_page=200, today=local_today(now))
        judges = judge_names(session, everyone)
    kept = {k: v for k, v in filters.items() if v is not None}
    pages = max(1, -(-total // PER_PAGE))
    link = lambda n: "/cases?" + urlencode({**kept, "page": n})  # noqa: E731
    return render(request, "cases/cases.html", actor, rows=rows, total=total, total_exact=exact, page=page, pages=pages,
                  prev_url=link(page - 1) if page > 1 else None, next_url=link(page + 1) if page < pages else None,
                  filters=filters, states=STATES, groups=STATE_GROUPS, judges=judges, heading="cases", show_filters=True)


@router.get("/search")
def search_page(request: Request, db: DbDep, now: NowDep):
    """Search by 案号 from every page's header: straight to the case it names, else the list of matches."""
    actor = page_actor(request)
    text = (request.query_params.get("q") or "")[:100]
    with db.read() as session:
        hits, named = find_cases(session, actor, text)
        if named is not None:
            return redirect(f"/cases/{named.id}")
        rows = [{**c.model_dump(), "days_left": days_left(c, local_today(now))} for c in hits]
        judges = dict(judge_names(session, rows))
    for row in rows:
        row["lead_judge_name"] = judges.get(row["lead_judge_id"], "")
    return render(request, "cases/cases.html", actor, rows=rows, total=len(rows), total_exact=len(rows) < 50, page=1,
                  pages=1, prev_url=None, next_url=None, filters={}, states=STATES, groups={}, judges=[],
                  heading="search_results", show_filters=False, query=text)


@router.get("/cases/mine")
def my_cases_page(request: Request, db: DbDep, now: NowDep):
    """My cases as lead judge, pending first."""
    actor = page_actor(request)
    with db.read() as session:
        rows = my_cases(session, actor, local_today(now))
    return render(request, "cases/cases.html", actor, rows=rows, total=len(rows), total_exact=True, page=1, pages=1,
                  prev_url=None, next_url=None, filters={}, states=STATES, groups={}, judges=[],
                  heading="my_cases", show_filters=False)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: IdPath, db: DbDep, now: NowDep):
    """The case: number, cause, procedure, state, countdown, actions, timeline, notices and requests."""
    return _case_page(request, db, page_actor(request), case_id, now)


@router.post("/s/cases/{case_id}/fire")
async def case_fire(request: Request, case_id: IdPath, db: DbDep, now: NowDep):
    """An action on the case page; a refusal or bad input comes back to the case page, next to its form."""
    actor = page_actor(request)
    fired = await fire_from_form(request, db, actor, now, "cases", case_id)
    if fired.error:
        return _case_page(request, db, actor, case_id, now, fired)
    return redirect(f"/cases/{case_id}?done={fired.event}")


def _case_page(request: Request, db, actor, case_id: int, now, failed: Fired | None = None):
    context = subject_context(request, db, actor, "cases", case_id, now)  # 404 when not visible
    with db.read() as session:
        case = session.get(Case, case_id)
        record = case_record(session, case)
        sections = shell_of(request).case_sections(session, actor, case, local_today(now))
    return render(request, "cases/case.html", actor, status_code=failed.status_code if failed else 200, failed=failed,
                  error=failed.error if failed else None,
                  days_left=days_left(case, local_today(now)), sections=sections, **record, **context)
