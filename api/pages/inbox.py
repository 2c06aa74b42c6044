"""The team inbox's own pages: 挂账督办 (with its export), delegations, moving all of one person's tasks.
Single-task operations (claim, give back, assign, priority) are the task page's events (/s/tasks/{id})."""
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import select

from api.deps import DbDep, NowDep
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import refusal_text
from api.params import IdPath, IdQuery
from policies.roles import ROLES
from services.kernel.clock import local_date
from services.kernel.delegations import (DelegationCreate, DelegationEnd, delegate, delegations_of,
                                         delegations_to_watch, end_delegation)
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.overdue_list import SUPERVISING, as_csv, lapses, overdue_tasks
from services.kernel.task_operations import BulkReassign, bulk_reassign
from store.models import RoleGrant, User
from store.recipients import in_force

router = APIRouter(tags=["pages"])


def plug(shell) -> None:
    shell.add_nav_link("overdue_list", "/tasks/overdue", SUPERVISING, group="oversight")
    shell.add_nav_link("delegations", "/tasks/delegations", group="casework")


@router.get("/tasks/overdue")
def overdue_page(request: Request, db: DbDep, now: NowDep, court_id: IdQuery = None):
    """挂账督办: what is overdue or escalated where I supervise, and the lapses recorded there."""
    actor = page_actor(request)
    as_of = local_date(now)
    with db.read() as session:
        rows, lapse_rows = overdue_tasks(session, actor, as_of, court_id), lapses(session, actor, court_id)
    return render(request, "inbox/overdue.html", actor, rows=rows, lapses=lapse_rows, as_of=as_of,
                  court_id=court_id)


@router.get("/tasks/overdue.csv")
def overdue_export(request: Request, db: DbDep, now: NowDep, court_id: IdQuery = None):
    actor = page_actor(request)
    as_of = local_date(now)
    with db.read() as session:
        body = as_csv(overdue_tasks(session, actor, as_of, court_id), lapses(session, actor, court_id))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="overdue-tasks-{as_of}.csv"'})


def _colleagues(session, actor, now) -> list[User]:
    """People holding a role in force today in the courts where the actor holds one, for the forms' choices."""
    courts = {g.court_id for g in actor.grants}
    stmt = (select(User).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.court_id.in_(courts), in_force(local_date(now)), User.active.is_(True))
            .distinct().order_by(User.display_name))
    return list(session.exec(stmt).all())


def _delegations_page(request, db, actor, now, status_code=200, error=None, form=None):
    with db.read() as session:
        rows = delegations_of(session, actor.user_id)
        mine = {d.id for d in rows}
        watched = [d for d in delegations_to_watch(session, actor) if d.id not in mine]
        people = {u.id: u for u in _colleagues(session, actor, now)}
    return render(request, "inbox/delegations.html", actor, status_code=status_code, error=error, rows=rows,
                  watched=watched,
                  people=people, roles=sorted({g.role for g in actor.grants}), form=form or {},
                  ok=request.query_params.get("ok", ""))


@router.get("/tasks/delegations")
def delegations_page(request: Request, db: DbDep, now: NowDep):
    """My delegations, given or held, and the form to hand my inbox to a colleague for a period."""
    return _delegations_page(request, db, page_actor(request), now)


@router.post("/tasks/delegations")
async def delegations_create(request: Request, db: DbDep, now: NowDep):
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    fields = {k: form.get(k) for k in ("delegate_user_id", "role", "starts_on", "ends_on", "reason")}
    try:
        delegate(db, actor, DelegationCreate.model_validate(fields), now)
    except Refused as exc:
        return _delegations_page(request, db, actor, now, 409, refusal_text(exc, lang_of(request)), fields)
    except ValidationError as exc:
        return _delegations_page(request, db, actor, now, 422, refusal_text(exc, lang_of(request)), fields)
    return redirect("/tasks/delegations?ok=dg_created")


@router.post("/tasks/delegations/{delegation_id}/end")
async def delegations_end(delegation_id: IdPath, request: Request, db: DbDep, now: NowDep):
    """End a delegation before its last day: its unfinished tasks go back to the person who gave it."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    try:
        end_delegation(db, actor, delegation_id, DelegationEnd.model_validate({"reason": form.get("reason")}), now)
    except Refused as exc:
        return _delegations_page(request, db, actor, now, 409, refusal_text(exc, lang_of(request)))
    except ValidationError as exc:
        return _delegations_page(request, db, actor, now, 422, refusal_text(exc, lang_of(request)))
    return redirect("/tasks/delegations?ok=dg_ended_early")


def _reassign_page(request, db, actor, now, status_code=200, error=None, form=None, moved=None):
    with db.read() as session:
        people = _colleagues(session, actor, now)
    return render(request, "inbox/reassign.html", actor, status_code=status_code, error=error, people=people,
                  roles=[r for r in ROLES if r != "system"], form=form or {}, moved=moved)


@router.get("/tasks/reassign")
def reassign_page(request: Request, db: DbDep, now: NowDep):
    """Move all open tasks of one person (the superior's or the trial office's form)."""
    return _reassign_page(request, db, page_actor(request), now)


@router.post("/tasks/reassign")
async def reassign_submit(request: Request, db: DbDep, now: NowDep):
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    fields = {k: form.get(k) or None for k in ("from_user_id", "to_user_id", "to_role", "reason")}
    try:
        moved = bulk_reassign(db, actor, BulkReassign.model_validate(fields), now)
    except (Refused, NotFound, Invalid) as exc:
        status = 409 if isinstance(exc, Refused) else 404 if isinstance(exc, NotFound) else 422
        return _reassign_page(request, db, actor, now, status, refusal_text(exc, lang_of(request)), fields)
    except ValidationError as exc:
        return _reassign_page(request, db, actor, now, 422, refusal_text(exc, lang_of(request)), fields)
    return _reassign_page(request, db, actor, now, moved=moved.count)
