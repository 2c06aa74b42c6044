"""四类案件 supervision, meetings and 阅核 on a case (the lifecycles' own events go through /api/v1/{kind}/{id})."""
from fastapi import APIRouter

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath
from api.responses import CaseSupervision, Flagged, SubjectView, SupervisionBoard
from services import transitions
from services.calendar_today import local_today
from services.draft_reviews import DraftCreate, submit_draft
from services.four_type_flags import FlagCreate, flag_by_hand
from services.meetings import MeetingCreate, panel_refers
from services.required_reports import SearchRequest, panel_requires_search
from services.subjects import subject_kind
from services.supervision_views import board, case_supervision
from store.jsonable import jsonable

router = APIRouter(prefix="/api/v1", tags=["supervision"])


@router.get("/cases/{case_id}/supervision", response_model=CaseSupervision)
def get_case_supervision(case_id: IdPath, actor: CurrentActor, db: DbDep):
    """Flags, supervision measures, required reports, meetings, committee referrals and drafts of the case."""
    with db.read() as session:
        case = transitions.load_visible(session, actor, subject_kind("cases"), case_id)
        return jsonable(case_supervision(session, case))


@router.post("/cases/{case_id}/four-type-flags", status_code=201, response_model=Flagged)
def post_flag(case_id: IdPath, body: FlagCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """标注四类案件 by hand; `flagged` is false when the case already carries that category."""
    return {"flagged": flag_by_hand(db, actor, case_id, body, now)}


@router.post("/cases/{case_id}/drafts", status_code=201, response_model=SubjectView)
def post_draft(case_id: IdPath, body: DraftCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """The lead judge submits a draft for 阅核; 201 with the draft's view."""
    return transitions.view(db, actor, "drafts", submit_draft(db, actor, case_id, body, now), now)


@router.post("/cases/{case_id}/meetings", status_code=201, response_model=SubjectView)
def post_meeting(case_id: IdPath, body: MeetingCreate, actor: CurrentActor, db: DbDep, now: NowDep):
    """The panel refers its case to the professional judges' meeting."""
    return transitions.view(db, actor, "meetings", panel_refers(db, actor, case_id, body, now), now)


@router.post("/cases/{case_id}/similar-case-search", status_code=201, response_model=SubjectView)
def post_search(case_id: IdPath, body: SearchRequest, actor: CurrentActor, db: DbDep, now: NowDep):
    """The panel marks the case for a similar-case search report (类案检索)."""
    return transitions.view(db, actor, "required_reports", panel_requires_search(db, actor, case_id, body, now), now)


@router.get("/supervision/board", response_model=SupervisionBoard)
def get_board(actor: CurrentActor, db: DbDep, now: NowDep):
    """督办看板: flagged cases, reports due and overdue, drafts awaiting the caller's review."""
    with db.read() as session:
        return jsonable(board(session, actor, local_today(now)))
