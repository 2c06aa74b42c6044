"""Reads for the integrity pages and the API."""
from sqlmodel import Session, select

from store.models import Case, InterferenceRecord, User


def record_rows(session: Session, records: list[InterferenceRecord]) -> list[dict]:
    """The records with their case number and the recorder's name (the caller may read each of them)."""
    case_ids = {r.case_id for r in records}
    user_ids = {r.recorded_by for r in records}
    numbers = dict(session.exec(select(Case.id, Case.case_number).where(Case.id.in_(case_ids))).all()) if case_ids else {}
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    return [{**r.model_dump(), "case_number": numbers.get(r.case_id, ""), "recorder": names.get(r.recorded_by, "")}
            for r in records]
