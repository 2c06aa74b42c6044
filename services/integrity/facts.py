"""What the lifecycles above integrity may read of it: who is named in a case's interference records.

A person named in a record on a case may not later supervise or review that case, sit on its professional
judges' meeting (专业法官会议) or its adjudication committee's discussion (审委会), nor take it (三个规定:
assignment and reassignment read it through the cases' ASSIGN_GATE, which integrity's plug() fills)."""
from sqlmodel import Session, select

from store.models import InterferenceRecord

NAMED = "refused.integrity.named_on_case"  # the refusal's message id: the actor may not act on the case
BARRED = "refused.integrity.barred_from_case"  # a person picked (a judge, a member, a participant) may not


def named_on_case(session: Session, case_id: int) -> frozenset[int]:
    """The users named in the case's interference records."""
    return frozenset(session.exec(select(InterferenceRecord.person_user_id).where(
        InterferenceRecord.case_id == case_id, InterferenceRecord.person_user_id.is_not(None))).all())


def barred_from_case(session: Session, case) -> dict:
    """The cases' ASSIGN_GATE: the people named in the case's records may not take it."""
    return {"barred": dict.fromkeys(named_on_case(session, case.id), BARRED)}


__all__ = ["BARRED", "NAMED", "barred_from_case", "named_on_case"]
