"""Administration pages: the courts one keeps, their people and role grants (/admin/courts/{id}/people), and
each policy with its override as YAML or by field, the diff, the what-if and the saved versions."""
import json
from datetime import date

import yaml
from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import DbDep, NowDep
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import refusal_text
from api.params import IdPath, IdQuery
from api.routes.admin import PolicyName, link_of
from policies.roles import PEOPLE_KEEPERS, POLICY_KEEPERS
from services.admin import invitations, overrides, people
from services.admin.scope import refusals_traced
from services.admin.what_if import what_if
from services.kernel.clock import local_today
from services.kernel.errors import Forbidden, Invalid, NotFound, Refused
from services.kernel.registry import current
from services.kernel.policy import division_scoped
from store.models import Court, Division

router = APIRouter(tags=["pages"])
STATUS = {Invalid: 422, Refused: 409, Forbidden: 403, NotFound: 404}


def _status(exc: Exception) -> int:
    return next(code for kind, code in STATUS.items() if isinstance(exc, kind))


def _said(request: Request, exc: Exception) -> str:
    """The refusal in the reader's language."""
    return refusal_text(exc, lang_of(request))


async def _form(request: Request) -> dict:
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    return form


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise Invalid("date", "invalid.admin.not_a_date", value=text) from None


def _id(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 18 else None


@router.get("/admin")
def admin_home(request: Request, db: DbDep):
    actor = page_actor(request)
    with db.read() as session:
        courts = people.courts_kept(session, actor) if actor.roles & PEOPLE_KEEPERS else []
        policy_courts = [c for c in _all_courts(session) if _keeps_policy(actor, c)]
    return render(request, "admin/home.html", actor, courts=courts, policy_courts=policy_courts)


def _all_courts(session):
    return session.exec(select(Court).order_by(Court.path)).all()


def _keeps_policy(actor, court) -> bool:
    return bool(actor.roles_at(court.id, court.path, None) & POLICY_KEEPERS)


# --- people ------------------------------------------------------------------------------------

@router.get("/admin/courts/{court_id}/people")
def people_page(request: Request, db: DbDep, court_id: IdPath):
    return _people(request, db, page_actor(request), court_id)


def _people(request, db, actor, court_id, status_code=200, **extra):
    with db.read() as session:
        try:
            rows = people.people_of(session, actor, court_id)
        except (Forbidden, NotFound) as exc:
            return render(request, "admin/home.html", actor, courts=[], policy_courts=[], error=_said(request, exc),
                          status_code=_status(exc))
        court = session.get(Court, court_id)
        divisions = people.divisions_of(session, court_id)
    return render(request, "admin/people.html", actor, court=court, rows=rows, divisions=divisions,
                  division_names={d.id: d.name for d in divisions}, roles=people.GRANTABLE,
                  status_code=status_code, **extra)


@router.post("/admin/courts/{court_id}/users")
async def create_user(request: Request, db: DbDep, now: NowDep, court_id: IdPath):
    actor, form = page_actor(request), await _form(request)
    try:
        with refusals_traced(db, actor, "user.create", now, court_id=court_id), db.write() as session:
            user = people.create_user(session, actor, people.NewUser(
                username=form.get("username", ""), display_name=form.get("display_name", ""), court_id=court_id,
                staff_no=form.get("staff_no") or None, division_id=_id(form.get("division_id"))), now)
            if form.get("role"):
                people.grant_role(session, actor, user.id, role=form["role"], court_id=court_id,
                                  division_id=_id(form.get("division_id")) if form.get("in_division") else None,
                                  starts_on=_day(form.get("starts_on")), ends_on=_day(form.get("ends_on")), now=now)
            token = invitations.issue(session, actor, user.id, purpose="invite", now=now)
    except (Invalid, Refused, Forbidden, NotFound) as exc:
        return _people(request, db, actor, court_id, status_code=_status(exc), error=_said(request, exc))
    return _people(request, db, actor, court_id, link=str(request.base_url).rstrip("/") + link_of(token),
                   link_for=user.username)


@router.post("/admin/users/{user_id}/grants")
async def grant_role(request: Request, db: DbDep, now: NowDep, user_id: IdPath):
    actor, form = page_actor(request), await _form(request)
    back = _id(form.get("back_court_id")) or 0
    try:
        with refusals_traced(db, actor, "role.grant", now, subject_kind="users", subject_id=user_id,
                             court_id=_id(form.get("court_id"))), db.write() as session:
            people.grant_role(session, actor, user_id, role=form.get("role", ""), court_id=_id(form.get("court_id")) or 0,
                              division_id=_id(form.get("division_id")), starts_on=_day(form.get("starts_on")),
                              ends_on=_day(form.get("ends_on")), now=now)
    except (Invalid, Refused, Forbidden, NotFound) as exc:
        return _people(request, db, actor, back, status_code=_status(exc), error=_said(request, exc))
    return redirect(f"/admin/courts/{back}/people?done=role.grant")


@router.post("/admin/users/{user_id}/deactivate")
async def deactivate(request: Request, db: DbDep, now: NowDep, user_id: IdPath):
    actor, form = page_actor(request), await _form(request)
    back = _id(form.get("back_court_id")) or 0
    try:
        with db.write() as session:
            people.deactivate_user(session, actor, user_id, why=form.get("why", ""), now=now)
    except (Invalid, Refused, Forbidden, NotFound) as exc:
        return _people(request, db, actor, back, status_code=_status(exc), error=_said(request, exc))
    return redirect(f"/admin/courts/{back}/people?done=user.deactivate")


@router.post("/admin/users/{user_id}/reset")
async def reset_link(request: Request, db: DbDep, now: NowDep, user_id: IdPath):
    actor, form = page_actor(request), await _form(request)
    back = _id(form.get("back_court_id")) or 0
    try:
        with db.write() as session:
            token = invitations.issue(session, actor, user_id, purpose="reset", now=now)
            username = people.user_here(session, actor, user_id).username
    except (Invalid, Refused, Forbidden, NotFound) as exc:
        return _people(request, db, actor, back, status_code=_status(exc), error=_said(request, exc))
    return _people(request, db, actor, back, link=str(request.base_url).rstrip("/") + link_of(token), link_for=username)


@router.post("/admin/courts/{court_id}/divisions")
async def create_division(request: Request, db: DbDep, now: NowDep, court_id: IdPath):
    actor, form = page_actor(request), await _form(request)
    try:
        with db.write() as session:
            people.create_division(session, actor, court_id, name=form.get("name", ""),
                                   category=form.get("category", ""), now=now)
    except (Invalid, Refused, Forbidden, NotFound) as exc:
        return _people(request, db, actor, court_id, status_code=_status(exc), error=_said(request, exc))
    return redirect(f"/admin/courts/{court_id}/people?done=division.create")


# --- policies ----------------------------------------------------------------------------------

@router.get("/admin/courts/{court_id}/policies/{name}")
def policy_page(request: Request, db: DbDep, court_id: IdPath, name: PolicyName, division_id: IdQuery = None):
    """The court's policy, or (where the policy allows division scope) one division's: `?division_id=`."""
    return _policy(request, db, page_actor(request), court_id, name, division_id=division_id)


def _policy(request, db, actor, court_id, name, status_code=200, division_id=None, **extra):
    with db.read() as session:
        try:
            v = overrides.view(session, actor, court_id, name, division_id)
        except (Forbidden, NotFound, Invalid) as exc:
            return render(request, "admin/home.html", actor, courts=[], policy_courts=[], error=_said(request, exc),
                          status_code=_status(exc))
        divisions = (session.exec(select(Division).where(Division.court_id == court_id).order_by(Division.id)).all()
                     if division_scoped(name) else [])
    extra.setdefault("yaml_text", _yaml(v.own))
    place = f"?division_id={division_id}" if division_id else ""
    return render(request, "admin/policy.html", actor, v=v, names=sorted(current().policy_schemas),
                  fields=_fields(v.effective), status_code=status_code, divisions=divisions,
                  division=next((d for d in divisions if d.id == division_id), None), place=place, **extra)


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if data else ""


def _fields(effective: dict) -> list[tuple[str, str]]:
    """The form generated from the policy: each leaf key of the schema's model with its value in force (JSON)."""
    return [(k, json.dumps(v, ensure_ascii=False)) for k, v in overrides.flat(effective).items()]


def _from_fields(form: dict, effective: dict) -> dict:
    """The override the by-field form means: every field whose value differs from the one in force."""
    data: dict = {}
    for key, before in overrides.flat(effective).items():
        typed = form.get(f"f:{key}")
        if typed is None:
            continue
        try:
            value = json.loads(typed)
        except ValueError:
            value = typed
        if value != before:
            node = data
            *path, leaf = key.split(".")
            for part in path:
                node = node.setdefault(part, {})
            node[leaf] = value
    return data


@router.post("/admin/courts/{court_id}/policies/{name}")
async def policy_action(request: Request, db: DbDep, now: NowDep, court_id: IdPath, name: PolicyName,
                        division_id: IdQuery = None):
    """check, what_if or save, from the YAML text or the by-field form (for the division `?division_id=`)."""
    actor, form = page_actor(request), await _form(request)
    action = form.get("action", "check")
    place = f"?division_id={division_id}" if division_id else ""
    try:
        overrides.refuse_unknown(name)
        with db.read() as session:
            effective = overrides.view(session, actor, court_id, name, division_id).effective
        data = _from_fields(form, effective) if form.get("source") == "fields" else overrides.parse(
            form.get("yaml", ""), name)
        if action == "save":
            with db.write() as session:
                overrides.save(session, actor, court_id, name, data, effective_from=_day(form.get("effective_from"))
                               or local_today(now), why=form.get("why", ""), now=now,
                               locks=[k.strip() for k in form.get("locks", "").split(",") if k.strip()],
                               division_id=division_id)
            done = f"{place}&done=policy.override" if place else "?done=policy.override"
            return redirect(f"/admin/courts/{court_id}/policies/{name}{done}")
        with db.read() as session:
            proposal = overrides.propose(session, actor, court_id, name, data, division_id)
            result = (what_if(session, actor, court_id, name, data, months=min(max(_id(form.get("months")) or 12, 1), 36),
                              as_of=local_today(now), division_id=division_id) if action == "what_if" else None)
        return _policy(request, db, actor, court_id, name, division_id=division_id, changes=proposal.changes,
                       result=result, yaml_text=_yaml(data))
    except tuple(STATUS) as exc:
        return _policy(request, db, actor, court_id, name, status_code=_status(exc), error=_said(request, exc),
                       division_id=division_id, yaml_text=form.get("yaml", ""))


def plug(shell) -> None:
    shell.add_nav_link("admin", "/admin", set(PEOPLE_KEEPERS | POLICY_KEEPERS), group="manage")
