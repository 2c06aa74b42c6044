"""Reading quota exits: the board of the proceedings an actor may see, a proceeding's submissions,
documents and windows, and its evidence files (checked against their checksums)."""
from datetime import date

from sqlalchemy import false, or_
from sqlmodel import Session, select

from services.kernel.actor import Actor
from services.kernel.errors import NotFound
from services.quota_exit.steps import OFFICIALS
from services.quota_exit.windows import open_window_of
from services.kernel.record import record
from store import evidence
from store.models import Court, ExitDocument, ExitProceeding, ExitSubmission, User


def visible_clause(actor: Actor):
    """The proceedings the actor may see: their own, and those of courts where they are an official."""
    clauses = [ExitProceeding.judge_id == actor.user_id]
    for g in actor.grants:
        if g.role not in OFFICIALS:
            continue
        clauses += [ExitProceeding.court_id == g.court_id, ExitProceeding.higher_court_id == g.court_id]
        if g.include_subtree:
            clauses.append(Court.path.startswith(g.court_path))
    return or_(*clauses) if clauses else false()


def board(session: Session, actor: Actor, today: date, state: str | None = None, limit: int = 500) -> list[dict]:
    """The proceedings the actor may see, open ones first, with the window running now and its days left."""
    stmt = (select(ExitProceeding, User.display_name, Court.name).join(User, User.id == ExitProceeding.judge_id)
            .join(Court, Court.id == ExitProceeding.court_id).where(visible_clause(actor)))
    if state:
        stmt = stmt.where(ExitProceeding.state == state)
    rows = session.exec(stmt.order_by(ExitProceeding.closed_on.is_not(None), ExitProceeding.id.desc()).limit(limit))
    return [_board_row(session, p, judge, court, today) for p, judge, court in rows.all()]


def _board_row(session: Session, p: ExitProceeding, judge: str, court: str, today: date) -> dict:
    window = open_window_of(session, p.id)
    return {"id": p.id, "judge_id": p.judge_id, "judge_name": judge, "court_name": court, "path": p.path,
            "ground": p.ground, "state": p.state, "opened_on": p.opened_on, "standing_outcome": p.standing_outcome,
            "window": window.kind if window else None, "closes_on": window.closes_on if window else None,
            "days_left": (window.closes_on - today).days if window else None, "closed_on": p.closed_on}


def submissions_of(session: Session, proceeding_id: int) -> list[ExitSubmission]:
    return list(session.exec(select(ExitSubmission).where(ExitSubmission.proceeding_id == proceeding_id)
                             .order_by(ExitSubmission.id)).all())


def submission_public(s: ExitSubmission) -> dict:
    return {"id": s.id, "kind": s.kind, "party": s.party, "by_user_id": s.by_user_id, "on": s.on, "text": s.text,
            "filename": s.filename, "content_type": s.content_type, "size_bytes": s.size_bytes, "sha256": s.sha256,
            "late": s.late, "attached_on": s.attached_on}


def document(session: Session, proceeding_id: int, kind: str) -> ExitDocument:
    row = session.exec(select(ExitDocument).where(ExitDocument.proceeding_id == proceeding_id,
                                                  ExitDocument.kind == kind)).first()
    if row is None:
        raise NotFound("not_found.quota_exit.no_document_proceeding", kind=kind, proceeding_id=proceeding_id)
    return row


def evidence_file(db, actor: Actor, proceeding_id: int, submission_id: int, now) -> tuple[ExitSubmission, bytes]:
    """The bytes of an evidence file the actor may see; the judge reading the evidence is traced."""
    from services.kernel.registry import subject_kind
    from services.kernel.access import load_visible

    with db.write() as session:
        p = load_visible(session, actor, subject_kind("exit_proceedings"), proceeding_id)
        row = session.get(ExitSubmission, submission_id)
        if row is None or row.proceeding_id != p.id or not row.storage_key:
            raise NotFound("not_found.quota_exit.no_evidence_file_proceeding", submission_id=submission_id, proceeding_id=proceeding_id)
        data = evidence.read(row.storage_key, row.sha256)
        if actor.user_id == p.judge_id and row.party != "judge":
            record(session, actor, "exit_proceedings.read_evidence", at=now, subject_kind="exit_proceedings",
                   subject_id=p.id, court_id=p.court_id, why=row.filename, after={"submission_id": row.id,
                                                                                  "sha256": row.sha256})
    return row, data
