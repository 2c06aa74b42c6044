"""Integrity pages: the records one may read with the form to record one (三个规定), the quarterly summaries,
and the printable powers and duties lists (权责清单) per role and per person, in Chinese or English (?lang=)."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import select

from api.deps import DbDep, NowDep
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import refusal_text
from api.params import IdPath
from policies.roles import ROLES
from services.integrity.payloads import RecordInterference
from services.integrity.powers import person_list, role_list
from services.integrity.queries import record_rows
from services.integrity.readers import readable
from services.integrity.records import record_interference
from services.integrity.summaries import summaries_for
from services.kernel.clock import local_date
from services.kernel.errors import Invalid, NotFound
from services.kernel.need_to_know import reads_person
from store.models import Court, User

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html
LIST_ROLES = tuple(r for r in ROLES if r != "system")
FIELDS = ("case_id", "source", "person_name", "person_post", "person_org", "person_user_id", "occurred_on", "manner",
          "asked", "response")


def _page(request: Request, db, actor, status_code: int = 200, error: str | None = None, form: dict | None = None):
    with db.read() as session:
        records = record_rows(session, readable(session, actor))
        summaries = summaries_for(session, actor)
        courts = {c.id: c.name for c in session.exec(select(Court)).all()} if summaries else {}
    return render(request, "integrity/records.html", actor, status_code=status_code, error=error, form=form or {},
                  records=records, summaries=summaries, courts=courts, roles=LIST_ROLES)


@router.get("/integrity")
def records_page(request: Request, db: DbDep):
    """The records one may read (one's own, or as their reader), the form to record one, the summaries."""
    return _page(request, db, page_actor(request))


@router.post("/integrity/records")
async def record_from_form(request: Request, db: DbDep, now: NowDep):
    """Record from the form; a refusal shows the page again with the reason and what was typed."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    data = {k: form[k].strip() for k in FIELDS if (form.get(k) or "").strip()}
    try:
        try:
            body = RecordInterference.model_validate(data)
        except ValidationError as exc:
            raise Invalid.from_pydantic(exc.errors()[0]) from exc
        record_interference(db, actor, body, now)
    except (Invalid, NotFound) as exc:
        error = refusal_text(exc, lang_of(request))
        return _page(request, db, actor, 422 if isinstance(exc, Invalid) else 404, error, form)
    return redirect("/integrity?done=record")


def _language(lang: str | None) -> dict:
    """The list in the language asked for (?lang=zh|en), else the page's."""
    return {"lang": lang} if lang in ("zh", "en") else {}


@router.get("/integrity/powers/roles/{role}")
def role_powers_page(request: Request, role: str, lang: str | None = None):
    """The printable list of a role."""
    actor = page_actor(request)
    if role not in LIST_ROLES:
        raise NotFound("not_found.integrity.no_role", role=role)
    return render(request, "integrity/powers.html", actor, lists=[{"role": role, **role_list(role)}], person=None,
                  roles=LIST_ROLES, **_language(lang))


@router.get("/integrity/powers/me")
def my_powers_page(request: Request):
    return redirect(f"/integrity/powers/people/{page_actor(request).user_id}")


@router.get("/integrity/powers/people/{user_id}")
def person_powers_page(request: Request, user_id: IdPath, db: DbDep, now: NowDep, lang: str | None = None):
    """The printable list of a person: one section per grant, with the policies in force at its court."""
    actor = page_actor(request)
    with db.read() as session:
        user = session.get(User, user_id)
        if user is None or not reads_person(session, actor, user):
            raise NotFound("not_found.integrity.no_user", user_id=user_id)
        person = person_list(session, user, local_date(now))
    return render(request, "integrity/powers.html", actor, lists=person["grants"], person=person, roles=LIST_ROLES,
                  **_language(lang))


def plug(shell) -> None:
    """The shell's navigation this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("integrity", "/integrity", group="oversight")
    shell.add_nav_link("ig_my_powers", "/integrity/powers/me", group="manage")
