"""Walking a four-type case through supervision in tests, as the real users would."""
from datetime import date

from sqlmodel import select

from services.cases.filing import CaseCreate, file_case
from services.supervision.draft_reviews import DraftCreate, submit_draft
from store.models import DraftReview, FourTypeFlag, MeetingReferral, Supervision, TraceEntry
from tests.case_helpers import act, actor, at


def file_with(db, world, number: str, filed: str = "2025-01-06", cause: str = "民间借贷纠纷",
              procedure: str = "civil-first-ordinary", **kw) -> int:
    data = CaseCreate(case_number=number, cause=cause, procedure=procedure,
                      division_id=world.divisions["hp_civil"].id, filed_on=date.fromisoformat(filed), **kw)
    return file_case(db, actor(db, "filing"), data, at(filed))


def flags(db) -> set[tuple[int, int, str]]:
    with db.read() as s:
        return {(f.case_id, f.category, f.source) for f in s.exec(select(FourTypeFlag)).all()}


def supervision_of(db, case_id: int) -> Supervision:
    with db.read() as s:
        return s.exec(select(Supervision).where(Supervision.case_id == case_id)).one()


def refusals(db, action: str) -> list[TraceEntry]:
    with db.read() as s:
        return list(s.exec(select(TraceEntry).where(TraceEntry.action == f"refused:{action}")).all())


def flagged_case(db, world, number="（2025）辽0102民初9号", judge="judge_a") -> int:
    """A group dispute (12 parties) flagged at filing, assigned to `judge` sitting alone (a simplified procedure:
    no panel, so every other judge of the small world is off the panel for its meetings), hearing held."""
    case_id = file_with(db, world, number, party_count=12, procedure="civil-first-simplified")
    act(db, "chief", "cases", case_id, "assign",
        {"method": "designated", "judge_id": world.users[judge].id, "reason": "专业审判团队"}, "2025-01-07")
    act(db, judge, "cases", case_id, "hold_hearing", {}, "2025-01-20")
    return case_id


def approved_draft(db, case_id: int, judge="judge_a", day="2025-02-10") -> int:
    draft_id = submit_draft(db, actor(db, judge), case_id,
                            DraftCreate(document_kind="判决书", outcome="驳回原告诉讼请求"), at(day))
    act(db, "chief", "drafts", draft_id, "approve", {"note": "同意"}, day)
    act(db, "vp", "drafts", draft_id, "approve", {"note": "同意"}, day)
    return draft_id


def draft(db, draft_id: int) -> DraftReview:
    with db.read() as s:
        return s.get(DraftReview, draft_id)


def meeting(db, case_id: int) -> MeetingReferral:
    with db.read() as s:
        return s.exec(select(MeetingReferral).where(MeetingReferral.case_id == case_id)
                      .order_by(MeetingReferral.id.desc())).first()
