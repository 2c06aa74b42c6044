"""Supervision pages: the supervisor's board, and the supervision, meeting, committee and 阅核 sections
of the case page; forms to flag a case and to submit a draft (everything else is the subjects' own pages)."""
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from policies.roles import LEADERS
from api.deps import DbDep, NowDep
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import refusal_text
from api.params import IdPath
from policies.supervision import CATEGORIES
from services.kernel.clock import local_today
from services.supervision.draft_reviews import DraftCreate, submit_draft
from services.kernel.errors import Conflict, Invalid, Refused
from services.supervision.flags import FlagCreate, flag_by_hand
from services.kernel.policy import policy
from services.supervision.gate import review_required
from services.supervision.meetings import meeting_members
from services.supervision.queries import board, case_supervision
from services.kernel.access import court_path

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html

SUPERVISING = LEADERS | {"trial_office", "inspection"}


def _section(session, actor, case, today) -> dict:
    rules = policy(session, case.court_id, "supervision", case.division_id)
    roles = actor.roles_at(case.court_id, court_path(session, case.court_id), case.division_id)
    return {**case_supervision(session, case), "case": case, "categories": CATEGORIES,
            "can_flag": bool(roles & set(rules.flag_roles)), "is_lead": actor.user_id == case.lead_judge_id,
            "document_kinds": rules.draft_review.document_kinds, "review_required": review_required(session, case)}


@router.get("/supervision")
def board_page(request: Request, db: DbDep, now: NowDep):
    """督办看板: flagged cases, reports due and overdue, drafts awaiting my review."""
    actor = page_actor(request)
    with db.read() as session:
        data = board(session, actor, local_today(now))
    return render(request, "supervision/supervision_board.html", actor, **data)


async def _form(request: Request) -> dict:
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    return form


def _back(case_id: int, done: str | None = None, refused: str | None = None):
    if refused:
        return redirect(f"/cases/{case_id}?refused={quote(refused)}#four-type")
    return redirect(f"/cases/{case_id}?done={done}")


@router.post("/cases/{case_id}/four-type-flags")
async def flag_form(request: Request, case_id: IdPath, db: DbDep, now: NowDep):
    """Flag the case from its page."""
    actor, form = page_actor(request), await _form(request)
    try:
        data = FlagCreate(category=form.get("category") or 0, reason=form.get("reason", ""))
        flag_by_hand(db, actor, case_id, data, now)
    except (Refused, Conflict, Invalid, ValueError) as exc:
        return _back(case_id, refused=refusal_text(exc, lang_of(request)))
    return _back(case_id, "cases.four_type_flag")


@router.post("/cases/{case_id}/drafts")
async def draft_form(request: Request, case_id: IdPath, db: DbDep, now: NowDep):
    """Submit a draft for 阅核 from the case page."""
    actor, form = page_actor(request), await _form(request)
    try:
        data = DraftCreate(document_kind=form.get("document_kind", ""), outcome=form.get("outcome", ""),
                           summary=form.get("summary", ""))
        submit_draft(db, actor, case_id, data, now)
    except (Refused, Conflict, Invalid, ValueError) as exc:
        return _back(case_id, refused=refusal_text(exc, lang_of(request)))
    return _back(case_id, "drafts.submit")


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("supervision_board", "/supervision", SUPERVISING, group="oversight")
    shell.add_case_section("supervision/_supervision_section.html", _section, order=50)
    shell.add_subject_section("meetings", "supervision/_meeting_members.html",
                              lambda session, actor, meeting_id, today: meeting_members(session, meeting_id))
