"""Quota exits (员额退出): the board, opening one, evidence files (upload and download), submissions and
documents. Every step of a proceeding is an event: POST /api/v1/exit_proceedings/{id}/transitions."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import CurrentActor, DbDep, NowDep
from services.kernel import engine as transitions
from services.kernel.clock import local_today
from services.quota_exit.proceedings import ExitOpen, start
from services.quota_exit.queries import board, document, evidence_file, submission_public, submissions_of
from services.kernel.registry import subject_kind
from api.params import IdPath
from api.responses import ExitRow, SubjectView, Submission
from services.kernel.bounds import MAX_ID
from api.uploads import read_evidence_form
from policies.evidence_files import EvidenceRefused
from services.kernel.errors import Invalid
from services.quota_exit.uploads import evidence_rules
from store.evidence import UploadTooLarge, release

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


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "证据文件"},
        "description": {"type": "string", "maxLength": 1000, "description": "证据说明"},
        "expected_version": {"type": "integer", "minimum": 0, "maximum": MAX_ID,
                             "description": "refuse with 409 if the proceeding moved on"}}}}}}}


@router.post("/{proceeding_id}/evidence", response_model=SubjectView, openapi_extra=UPLOAD_BODY,
             responses={413: {"description": "the file is over the court's size limit (refused while reading)"}})
async def upload_evidence(proceeding_id: IdPath, request: Request, actor: CurrentActor, db: DbDep, now: NowDep):
    """Upload an evidence file (multipart), streamed: 404/409 before any byte is read when the caller may not
    add evidence, 413 as soon as the file passes the size limit, 422 saying why a file is refused."""
    rules = await run_in_threadpool(evidence_rules, db, actor, proceeding_id, now)
    try:
        token, fields = await read_evidence_form(request, rules, (actor.user_id, proceeding_id))
    except UploadTooLarge as exc:
        return JSONResponse({"detail": str(exc), "max_bytes": exc.max_bytes}, status_code=413)
    except EvidenceRefused as exc:
        raise Invalid("payload.file", exc.message_id, **exc.params) from exc
    try:
        payload = {"filename": "upload", "upload": token, "description": fields.get("description", "")}
        return await run_in_threadpool(transitions.fire, db, actor, "exit_proceedings", proceeding_id,
                                       "add_evidence", payload, now, _version(fields.get("expected_version")))
    finally:
        release(token)


def _version(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 19 or int(value) > MAX_ID:
        raise Invalid("expected_version", "invalid.api.whole_number")
    return int(value)


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
