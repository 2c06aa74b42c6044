"""Quota exits (员额退出): the board, opening one, evidence files (upload and download), submissions and
documents. Every step of a proceeding is an event: POST /api/v1/exit_proceedings/{id}/transitions."""
import base64
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath
from api.responses import ExitRow, SubjectView, Submission
from services import transitions
from services.bounds import MAX_ID
from services.calendar_today import local_today
from services.exit_proceedings import ExitOpen, start
from services.exit_queries import board, document, evidence_file, submission_public, submissions_of
from services.subjects import subject_kind

router = APIRouter(prefix="/api/v1/exit_proceedings", tags=["quota exit"])


@router.get("", response_model=list[ExitRow])
def list_exits(actor: CurrentActor, db: DbDep, now: NowDep, state: str | None = Query(None, max_length=40, pattern=r"^[a-z_]+$")):
    """The proceedings the caller may see (personnel's board; a judge sees their own)."""
    with db.read() as session:
        return board(session, actor, local_today(now), state)


@router.post("", status_code=201, response_model=SubjectView)
def open_exit(body: ExitOpen, actor: CurrentActor, db: DbDep, now: NowDep):
    """Open an exit: personnel record a natural one or open a mandatory one; a judge applies."""
    return transitions.view(db, actor, "exit_proceedings", start(db, actor, body, now), now)


@router.post("/{proceeding_id}/evidence", response_model=SubjectView)
async def upload_evidence(proceeding_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep,
                          file: UploadFile = File(...), description: str = Form(""),
                          expected_version: int | None = Form(None, ge=0, le=MAX_ID)):
    """Upload an evidence file (multipart): the add_evidence event with its bytes; 422 says why a file is refused."""
    payload = {"filename": file.filename or "", "content_type": file.content_type or "",
               "content_base64": base64.b64encode(await file.read()).decode(), "description": description}
    return transitions.fire(db, actor, "exit_proceedings", proceeding_id, "add_evidence", payload, now,
                            expected_version)


@router.get("/{proceeding_id}/evidence/{submission_id}", response_class=Response,
             responses={200: {"content": {"application/octet-stream": {}}, "description": "the file as filed"}})
def download_evidence(proceeding_id: IdPath, submission_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """An evidence file as filed, checked against its SHA-256."""
    row, data = evidence_file(db, actor, proceeding_id, submission_id, now)
    return Response(data, media_type=row.content_type, headers={"X-Content-SHA256": row.sha256})


@router.get("/{proceeding_id}/submissions", response_model=list[Submission])
def list_submissions(proceeding_id: IdPath, actor: CurrentActor, db: DbDep):
    """Every submission in the proceeding: statements, files (with checksums), requests, applications."""
    with db.read() as session:
        transitions.load_visible(session, actor, subject_kind("exit_proceedings"), proceeding_id)
        return [submission_public(s) for s in submissions_of(session, proceeding_id)]


@router.get("/{proceeding_id}/documents/{kind}", response_class=HTMLResponse)
def get_document(proceeding_id: IdPath, kind: Annotated[str, Path(max_length=40)], actor: CurrentActor, db: DbDep):
    """A formal document (notice, decision, reconsideration_decision, higher_review_decision) as printable HTML."""
    with db.read() as session:
        transitions.load_visible(session, actor, subject_kind("exit_proceedings"), proceeding_id)
        row = document(session, proceeding_id, kind)
    return HTMLResponse(row.html, headers={"X-Content-SHA256": row.sha256})
