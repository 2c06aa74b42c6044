"""A civil case from filing to archive: the deadline checked at every step, each notice sent."""
from datetime import date

import pytest

from services.kernel.errors import Refused
from tests.case_helpers import act, case_row, designate, file, notices
from tests.factories import small_world


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def test_a_civil_case_runs_its_whole_course_against_the_statutory_clock(any_db, world):
    db = any_db
    case_id = file(db, world)
    # filed 2025-01-06 + 6 months = Sunday 2025-07-06 → next working day
    assert case_row(db, case_id).deadline == date(2025, 7, 7)
    assert case_row(db, case_id).unrolled_deadline == date(2025, 7, 6)

    designate(db, world, case_id)
    assert case_row(db, case_id).lead_judge_id == world.users["judge_a"].id
    assert [n.recipient_user_id for n in notices(db, "case_assigned")] == [world.users["judge_a"].id]

    act(db, "judge_a", "cases", case_id, "hold_hearing", {"on": "2025-01-20"}, "2025-01-20")
    act(db, "judge_a", "cases", case_id, "open_exclusion", {"kind": "公告", "start": "2025-02-01"}, "2025-02-01")
    assert case_row(db, case_id).clock_stopped
    act(db, "judge_a", "cases", case_id, "close_exclusion", {"kind": "公告", "end": "2025-03-02"}, "2025-03-02")
    case = case_row(db, case_id)
    # 2025-02-01..03-02 inclusive is 30 days: 07-06 + 30 = Tuesday 2025-08-05
    assert (case.excluded_days, case.deadline, case.clock_stopped) == (30, date(2025, 8, 5), False)

    # 11 days before expiry: filed late, so approving without an override reason is refused
    late = act(db, "judge_a", "cases", case_id, "request_extension", {"length": "6m", "reason": "鉴定未完成"}, "2025-07-25")
    assert late["state"] == "in_trial"
    ext_id = _pending_extension(db, case_id)
    with pytest.raises(Refused, match="override reason"):
        act(db, "president", "extensions", ext_id, "approve", {}, "2025-07-26")
    act(db, "president", "extensions", ext_id, "refuse", {"reason": "申请逾期且理由不足"}, "2025-07-26")
    assert case_row(db, case_id).deadline == date(2025, 8, 5)

    act(db, "judge_a", "cases", case_id, "open_exclusion", {"kind": "鉴定", "start": "2025-07-26"}, "2025-07-26")
    act(db, "judge_a", "cases", case_id, "close_exclusion", {"kind": "鉴定", "end": "2025-08-30"}, "2025-08-30")
    assert case_row(db, case_id).deadline == date(2025, 9, 10)  # + 36 days

    act(db, "judge_a", "cases", case_id, "request_extension", {"length": "6m", "reason": "案情复杂"}, "2025-08-20")
    ext2 = _pending_extension(db, case_id)
    act(db, "president", "extensions", ext2, "approve", {"note": "同意"}, "2025-08-25")
    case = case_row(db, case_id)
    # filed + 6m + 6m = 2026-01-06, + 66 excluded days = Friday 2026-03-13
    assert (case.extension_count, case.deadline) == (1, date(2026, 3, 13))

    act(db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-10-10", "document_ref": "（2025）辽0102民初1号判决书"}, "2025-10-10")
    with pytest.raises(Refused, match="decision document reference and a closing method"):
        act(db, "judge_a", "cases", case_id, "close", {"closed_on": "2025-10-15", "closing_method": "判决"}, "2025-10-15")
    act(db, "judge_a", "cases", case_id, "close", {"closed_on": "2025-10-15", "closing_method": "判决",
                                                   "decision_doc_ref": "（2025）辽0102民初1号判决书"}, "2025-10-15")
    done = act(db, "clerk_a", "cases", case_id, "archive", {"on": "2025-10-20"}, "2025-10-20")
    assert done["state"] == "archived" and done["allowed_events"] == []

    president = world.users["president"].id
    assert [n.recipient_user_id for n in notices(db, "extension_requested")] == [president, president]
    decided = [(n.context["approved"], n.recipient_user_id) for n in notices(db, "extension_decided")]
    assert decided == [(False, world.users["judge_a"].id), (True, world.users["judge_a"].id)]
    assert notices(db, "extension_decided")[1].context["new_deadline"] == "2026-03-13"


def _pending_extension(db, case_id):
    from sqlmodel import select

    from store.models import ExtensionRequest
    with db.read() as s:
        return s.exec(select(ExtensionRequest.id).where(ExtensionRequest.case_id == case_id,
                                                        ExtensionRequest.state == "requested")).one()
