"""Supervision pages: the supervisor's board, and the supervision, meeting, committee and 阅核 sections
of the case page; forms to flag a case and to submit a draft (everything else is the subjects' own pages)."""
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep, NowDep
from api.i18n import register_texts
from api.pages.common import check_csrf, page_actor, redirect, render
from api.pages.slots import add_case_section, add_nav_link
from api.params import IdPath
from policies.supervision import CATEGORIES
from services.calendar_today import local_today
from services.draft_reviews import DraftCreate, submit_draft
from services.errors import Conflict, Invalid, Refused
from services.four_type_flags import FlagCreate, flag_by_hand
from services.policy import policy
from services.supervision_gate import review_required
from services.supervision_views import board, case_supervision
from services.transitions import court_path

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html

register_texts({
    "supervision_board": ("督办看板", "Supervision board"),
    "four_type": ("四类案件监管", "Four-type supervision"),
    "flagged_cases": ("监管中的四类案件", "Flagged cases under supervision"),
    "category": ("类别", "Category"),
    "report_due": ("报告期限", "Report due"),
    "report_overdue": ("逾期未报告", "Report overdue"),
    "reports_due": ("待报送的报告", "Reports due"),
    "drafts_awaiting": ("待我阅核的文书", "Drafts awaiting my review"),
    "measures": ("监管措施", "Measures"),
    "required_reports": ("要求报送的报告", "Required reports"),
    "flag_case": ("标注四类案件", "Flag as a four-type case"),
    "reason": ("理由", "Reason"),
    "not_flagged": ("未标注为四类案件", "Not flagged"),
    "open_supervision": ("打开监管页面", "Open the supervision"),
    "meetings": ("专业法官会议", "Professional judges' meetings"),
    "majority_view": ("多数意见", "Majority view"),
    "unanimous": ("一致意见", "Unanimous"),
    "no_majority": ("未形成多数意见", "No majority"),
    "answer_reason": ("不采纳理由", "Reason for not adopting"),
    "committee": ("审判委员会", "Adjudication committee"),
    "committee_binding": ("审判委员会决定，合议庭应当执行", "The committee's decision binds the panel"),
    "published_with": ("随裁判文书公开", "Published with the judgment"),
    "withheld": ("不公开，依据", "Not published, ground"),
    "drafts": ("文书阅核", "Draft review (阅核)"),
    "submit_draft": ("提交文书阅核", "Submit a draft for review"),
    "document_kind": ("文书种类", "Document kind"),
    "outcome": ("裁判结果", "Outcome"),
    "sv_reasoning": ("说理要点", "Reasoning"),
    "review_chain": ("阅核流程", "Review chain"),
    "round": ("稿次", "Round"),
    "opinions": ("意见", "Opinions"),
})
SUPERVISING = {"division_chief", "vice_president", "president", "trial_office", "inspection"}
add_nav_link("supervision_board", "/supervision", SUPERVISING)


def _section(session, actor, case, today) -> dict:
    rules = policy(session, case.court_id, "supervision")
    roles = actor.roles_at(case.court_id, court_path(session, case.court_id), case.division_id)
    return {**case_supervision(session, case), "case": case, "categories": CATEGORIES,
            "can_flag": bool(roles & set(rules.flag_roles)), "is_lead": actor.user_id == case.lead_judge_id,
            "document_kinds": rules.draft_review.document_kinds, "review_required": review_required(session, case)}


add_case_section("_supervision_section.html", _section, order=50)


@router.get("/supervision")
def board_page(request: Request, db: DbDep, now: NowDep):
    """督办看板: flagged cases, reports due and overdue, drafts awaiting my review."""
    actor = page_actor(request)
    with db.read() as session:
        data = board(session, actor, local_today(now))
    return render(request, "supervision_board.html", actor, **data)


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
        return _back(case_id, refused=getattr(exc, "reason", None) or str(exc))
    return _back(case_id, "four_type_flag")


@router.post("/cases/{case_id}/drafts")
async def draft_form(request: Request, case_id: IdPath, db: DbDep, now: NowDep):
    """Submit a draft for 阅核 from the case page."""
    actor, form = page_actor(request), await _form(request)
    try:
        data = DraftCreate(document_kind=form.get("document_kind", ""), outcome=form.get("outcome", ""),
                           summary=form.get("summary", ""))
        submit_draft(db, actor, case_id, data, now)
    except (Refused, Conflict, Invalid, ValueError) as exc:
        return _back(case_id, refused=getattr(exc, "reason", None) or str(exc))
    return _back(case_id, "submit_draft")
