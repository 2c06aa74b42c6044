"""What the lifecycles above integrity may read of it: who is named in a case's interference records.

A person named in a record on a case may not later supervise or review that case (三个规定)."""
from sqlmodel import Session, select

from store.models import InterferenceRecord

NAMED = "refused.integrity.named_on_case"  # the refusal's message id: may not supervise or review it


def named_on_case(session: Session, case_id: int) -> frozenset[int]:
    """The users named in the case's interference records."""
    return frozenset(session.exec(select(InterferenceRecord.person_user_id).where(
        InterferenceRecord.case_id == case_id, InterferenceRecord.person_user_id.is_not(None))).all())


__all__ = ["NAMED", "named_on_case"]
