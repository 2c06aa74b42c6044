"""Petition pages: the trial office's board, the registration form, the petition page with the
handler's answer form (it serves /s/petitions/{id}), and the petitions section of the case page."""
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import select

from policies.roles import LEADERS
from api.deps import DbDep, NowDep
import i18n
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import fire_from_form, refusal_text
from api.pages.tasks import subject_context
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.petitions.queries import board_by_division, list_petitions, visible_counts
from services.petitions.registration import REGISTRARS, PetitionCreate, register_petition
from services.petitions.subject import HANDLER_ROLES
from services.kernel.policy import policy
from api.params import IdPath
from services.kernel.need_to_know import free_of_named
from store.models import Case, Court, Division, Petition, RoleGrant, User
from store.recipients import in_force

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html
BOARD_ROLES = LEADERS | {"trial_office", "filing_clerk"}


@router.get("/petitions")
def board(request: Request, db: DbDep, now: NowDep):
    """The trial office's board: open, due soon and late per division; the open petitions; this month's counts."""
    actor = page_actor(request)
    today = local_today(now)
    with db.read() as session:
        by_division = board_by_division(session, actor, today)
        rows = list_petitions(session, actor, today)
        month = visible_counts(session, actor, today.replace(day=1), today, today)
    return render(request, "petitions/petitions.html", actor, by_division=by_division, rows=rows, month=month,
                  can_register=bool(actor.roles & REGISTRARS))


def _registration_choices(session, actor, now) -> dict:
    """Courts where the actor registers, the judges of those courts (by grants in force today), and the policy's
    lists."""
    courts = [c for c in session.exec(select(Court).order_by(Court.path)).all()
              if actor.roles_at(c.id, c.path, None) & REGISTRARS]
    ids = [c.id for c in courts]
    judges = session.exec(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "judge", RoleGrant.court_id.in_(ids), in_force(local_today(now)))
        .distinct().order_by(User.display_name)).all()
    rules = policy(session, courts[0].id, "petitions") if courts else None
    return {"courts": courts, "judges": judges, "channels": rules.channels if rules else [],
            "matters": rules.matters if rules else []}


def _registration_page(request, db, actor, now, status_code=200, **context):
    with db.read() as session:
        choices = _registration_choices(session, actor, now)
    return render(request, "petitions/petition_new.html", actor, status_code=status_code,
                  form=context.pop("form", {}), **choices, **context)


@router.get("/petitions/new")
def new_petition(request: Request, db: DbDep, now: NowDep):
    """The registration form (有信必录、有录必全)."""
    return _registration_page(request, db, page_actor(request), now)


def _create_from_form(form: dict) -> PetitionCreate:
    data = {k: (form.get(k) or "").strip() for k in ("channel", "petitioner", "petitioner_contact", "matter",
                                                      "summary", "named_person")}
    for key in ("case_number", "named_user_id", "court_id", "registered_on"):
        if (form.get(key) or "").strip():
            data[key] = form[key].strip()
    try:
        return PetitionCreate.model_validate(data)
    except ValidationError as exc:
        raise Invalid.from_pydantic(exc.errors()[0]) from exc


@router.post("/petitions/new")
async def register_from_form(request: Request, db: DbDep, now: NowDep):
    """Register from the form; a refusal shows the form again with the reason and what was typed."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    try:
        petition_id = register_petition(db, actor, _create_from_form(form), now)
    except (Invalid, Refused, NotFound) as exc:
        return _registration_page(request, db, actor, now, status_code=422 if isinstance(exc, Invalid) else 409,
                                  error=refusal_text(exc, lang_of(request)), form=form)
    return redirect(f"/s/petitions/{petition_id}?done=petitions.register")


def _options(session, petition: Petition, lang: str, today: date) -> dict[str, list[tuple[str, str]]]:
    """Select options for the payload fields a person should pick rather than type: handlers by their grants in
    force on the court day."""
    divisions = session.exec(select(Division).where(Division.court_id == petition.court_id)
                             .order_by(Division.name)).all()
    names = {d.id: d.name for d in divisions}
    staff = select(User, RoleGrant.division_id).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.court_id == petition.court_id, RoleGrant.role.in_(HANDLER_ROLES), RoleGrant.division_id.is_not(None),
        in_force(today))
    rows = session.exec(staff).all()
    # 回避: never offered to the person the petition names, nor to anyone working under them
    allowed = set(free_of_named(session, petition.named_user_id, [u.id for u, _ in rows], today))
    methods = policy(session, petition.court_id, "petitions").delivery_methods
    return {"division_id": [(str(d.id), d.name) for d in divisions],
            "handler_user_id": sorted({(str(u.id), f"{names.get(d, '')} · {u.display_name}")
                                       for u, d in rows if u.id in allowed}, key=lambda o: o[1]),
            "delivery_method": [(m, _text(lang, f"pt_dm_{m}", m)) for m in methods]}


def _text(lang: str, key: str, fallback: str) -> str:
    text = i18n.gettext(key, lang)
    return fallback if text == key else text


def _petition_page(request: Request, db, actor, petition_id: int, now, status_code=200, error=None):
    context = subject_context(request, db, actor, "petitions", petition_id, now)  # 404 when not visible
    with db.read() as session:
        petition = session.get(Petition, petition_id)
        names = {
            "court": session.get(Court, petition.court_id).name,
            "division": session.get(Division, petition.division_id).name if petition.division_id else "",
            "handler": session.get(User, petition.handler_user_id).display_name if petition.handler_user_id else "",
            "case": session.get(Case, petition.case_id) if petition.case_id else None,
        }
        options = _options(session, petition, lang_of(request), local_today(now))
    return render(request, "petitions/petition.html", actor, status_code=status_code, error=error, names=names,
                  options=options, today=local_today(now), **context)


@router.get("/s/petitions/{petition_id}")
def petition_page(request: Request, petition_id: IdPath, db: DbDep, now: NowDep):
    """A petition: what it asks, who handles it by when, the answer form for its handler, its timeline."""
    return _petition_page(request, db, page_actor(request), petition_id, now)


@router.post("/s/petitions/{petition_id}/fire")
async def petition_fire(request: Request, petition_id: IdPath, db: DbDep, now: NowDep):
    """Assign, answer, close or merge from the petition page; a refusal is shown on the same page."""
    actor = page_actor(request)
    fired = await fire_from_form(request, db, actor, now, "petitions", petition_id)
    if fired.error:
        return _petition_page(request, db, actor, petition_id, now, fired.status_code, fired.error)
    return redirect(f"/s/petitions/{petition_id}?done=petitions.{fired.event}")


def case_petitions(session, actor, case, today: date) -> dict:
    """The case page's section: every visible petition about the case."""
    return {"petitions": list_petitions(session, actor, today, open_only=False, case_id=case.id)}


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("petitions", "/petitions", BOARD_ROLES, group="oversight")
    shell.add_case_section("petitions/_case_petitions.html", case_petitions, order=50)
