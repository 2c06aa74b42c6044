"""Every "at most one … per …" rule holds under a crowd, on SQLite and PostgreSQL.

Twenty commands on their own threads and connections are released together by a barrier: exactly
one is accepted and every other is refused with the rule's reason (a 409, traced), never a 500
and never a second row. On PostgreSQL the commands really overlap (READ COMMITTED, no lock
unless taken); the unique partial indexes and the case lock are what keep the rules there.
"""
import threading

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from policies.deadline import Duration, compute_deadline
from services.supervision.draft_reviews import DraftCreate, submit_draft
from services.kernel.errors import Conflict, Refused
from services.quota_exit.proceedings import ExitOpen, start
from services.supervision.flags import FlagCreate, flag_by_hand
from services.kernel.invariants import database_rules
from services.supervision.meetings import MeetingCreate, panel_refers
from services.kernel.policy import calendar, policy
from services.supervision.required_reports import SearchRequest, panel_requires_search
from services.kernel.engine import fire
from store.constraints import violated_unique
from store.trace import verify
from store.models import (CommitteeReferral, DraftReview, ExcludedPeriod, ExitProceeding, ExtensionRequest,
                          MeetingOpinion, MeetingReferral, ReassignmentRequest, RequiredReport, Supervision, TraceEntry)
from tests.case_helpers import act, actor, at, case_row, designate, file
from tests.exit_helpers import exit_world
from tests.integration.conftest import login
from tests.supervision_helpers import flagged_case, supervision_of

N = 20


@pytest.fixture
def world(any_db):
    return exit_world(any_db)


def race(attempt) -> list[tuple[str, str]]:
    """Run `attempt(i)` for i in 0..N-1 on N threads released at once: ("ok", …), ("refused", reason) or
    ("conflict", message) per thread; anything else is a failure of the test (a 500 to a client)."""
    barrier, results = threading.Barrier(N), [None] * N

    def run(i):
        barrier.wait()
        try:
            results[i] = ("ok", attempt(i))
        except Refused as exc:
            results[i] = ("refused", exc.reason)
        except Conflict as exc:
            results[i] = ("conflict", str(exc))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below, with its type
            results[i] = ("error", repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    return results


def one_accepted(results, reason: str):
    """Exactly one accepted; every other refused with `reason` (the same words the service's check uses)."""
    accepted = [value for outcome, value in results if outcome == "ok"]
    others = [(outcome, value) for outcome, value in results if outcome != "ok"]
    assert len(accepted) == 1, results
    assert [(outcome, reason in value) for outcome, value in others] == [("refused", True)] * (N - 1), others
    return accepted[0]


def rows(db, model, *where) -> list:
    with db.read() as s:
        return list(s.exec(select(model).where(*where)).all())


def refused_traces(db, action: str) -> int:
    return len(rows(db, TraceEntry, TraceEntry.action == f"refused:{action}"))


def case_in_trial(db, world, number="（2025）辽0102民初1号", procedure="civil-first-ordinary") -> int:
    """judge_a's case, hearing held (a simplified procedure sits alone: no panel drawn, so every other judge of
    the small world may sit on its meetings)."""
    case_id = file(db, world, number=number, procedure=procedure)
    designate(db, world, case_id)
    act(db, "judge_a", "cases", case_id, "hold_hearing", {}, "2025-01-20")
    return case_id


def first_extension_deadline(db, case_id):
    """The deadline after the first extension (6 months, the president's) and no other."""
    case = case_row(db, case_id)
    with db.read() as s:
        limit = policy(s, case.court_id, "time_limits").limit(case.procedure, case.variant)
        return compute_deadline(case.filed_on, limit, [Duration.parse("6m")], [], calendar(s, case.court_id)).deadline


def test_twenty_extension_requests_at_once_leave_one_waiting_and_the_deadline_moves_once(any_db, world):
    case_id = case_in_trial(any_db, world)
    judge, president = actor(any_db, "judge_a"), actor(any_db, "president")
    results = race(lambda i: fire(any_db, judge, "cases", case_id, "request_extension",
                                  {"length": "6m", "reason": f"案情复杂（{i}）"}, at("2025-06-20")))
    one_accepted(results, "an extension request for this case is already waiting for a decision")
    assert refused_traces(any_db, "cases.request_extension") == N - 1
    waiting = rows(any_db, ExtensionRequest, ExtensionRequest.case_id == case_id, ExtensionRequest.state == "requested")
    assert [r.ordinal for r in waiting] == [1]
    for request in waiting:  # the president approves whatever is waiting
        fire(any_db, president, "extensions", request.id, "approve", {"note": "同意"}, at("2025-06-25"))
    case = case_row(any_db, case_id)
    assert (case.extension_count, case.deadline) == (1, first_extension_deadline(any_db, case_id))
    act(any_db, "judge_a", "cases", case_id, "request_extension", {"length": "3m", "reason": "仍需鉴定"}, "2025-12-10")
    second = rows(any_db, ExtensionRequest, ExtensionRequest.state == "requested")
    assert [(r.ordinal, r.approver_court_id) for r in second] == [(2, world.courts["mid"].id)]  # the higher court


def test_a_request_numbered_for_an_extension_already_granted_is_refused_not_granted_again(any_db, world):
    """Counts that move are read under the case's lock: a request filed as the first extension cannot be
    approved once the first is granted (the database also refuses a second approved ordinal 1)."""
    case_id = case_in_trial(any_db, world)
    act(any_db, "judge_a", "cases", case_id, "request_extension", {"length": "6m", "reason": "案情复杂"}, "2025-06-20")
    first = rows(any_db, ExtensionRequest)[0]
    act(any_db, "president", "extensions", first.id, "approve", {}, "2025-06-25")
    act(any_db, "judge_a", "cases", case_id, "request_extension", {"length": "3m", "reason": "仍需鉴定"}, "2025-12-10")
    with any_db.write() as s:  # a request left over from before the rule, still numbered as the first
        stale = s.exec(select(ExtensionRequest).where(ExtensionRequest.state == "requested")).one()
        stale.ordinal, stale.approver_court_id = 1, world.courts["hp"].id
        s.add(stale)
    with pytest.raises(Refused, match="filed as extension 1, but the case has had 1 approved"):
        act(any_db, "president", "extensions", stale.id, "approve", {}, "2025-12-12")
    assert case_row(any_db, case_id).extension_count == 1


def test_twenty_reassignment_requests_at_once_leave_one_waiting(any_db, world):
    case_id = case_in_trial(any_db, world)
    judge = actor(any_db, "judge_a")
    results = race(lambda i: fire(any_db, judge, "cases", case_id, "request_reassignment",
                                  {"reason_code": "健康", "reason": f"住院治疗（{i}）"}, at("2025-02-10")))
    one_accepted(results, "a reassignment request for this case is already waiting for a decision")
    assert len(rows(any_db, ReassignmentRequest, ReassignmentRequest.case_id == case_id)) == 1


def test_twenty_openings_of_the_same_excluded_period_leave_one_open(any_db, world):
    case_id = case_in_trial(any_db, world)
    judge = actor(any_db, "judge_a")
    results = race(lambda i: fire(any_db, judge, "cases", case_id, "open_exclusion",
                                  {"kind": "鉴定", "start": "2025-02-03", "reason": f"委托鉴定（{i}）"}, at("2025-02-04")))
    one_accepted(results, "is already open")
    assert len(rows(any_db, ExcludedPeriod, ExcludedPeriod.case_id == case_id)) == 1
    assert case_row(any_db, case_id).clock_stopped


def test_twenty_demands_for_the_same_report_leave_one_outstanding(any_db, world):
    case_id = case_in_trial(any_db, world)
    judge = actor(any_db, "judge_a")
    results = race(lambda i: panel_requires_search(any_db, judge, case_id, SearchRequest(reason=f"法律适用争议（{i}）"),
                                                   at("2025-02-04")))
    one_accepted(results, "is already required of this case and not yet received")
    assert len(rows(any_db, RequiredReport, RequiredReport.case_id == case_id)) == 1
    assert refused_traces(any_db, "cases.require_similar_case_search") == N - 1


def test_twenty_referrals_to_the_judges_meeting_leave_one_open(any_db, world):
    case_id = case_in_trial(any_db, world, procedure="civil-first-simplified")
    judge = actor(any_db, "judge_a")
    results = race(lambda i: panel_refers(any_db, judge, case_id,
                                          MeetingCreate(question=f"加班费计算基数（{i}）", options="按合同约定；按实际工资"),
                                          at("2025-02-04")))
    one_accepted(results, "a professional judges' meeting on this case is still open")
    assert len(rows(any_db, MeetingReferral, MeetingReferral.case_id == case_id)) == 1


def test_twenty_opinions_of_one_member_at_once_count_once(any_db, world):
    case_id = case_in_trial(any_db, world, procedure="civil-first-simplified")
    meeting_id = panel_refers(any_db, actor(any_db, "judge_a"), case_id,
                              MeetingCreate(question="加班费计算基数", options="按合同约定；按实际工资"), at("2025-02-04"))
    member = actor(any_db, "judge_b")
    results = race(lambda i: fire(any_db, member, "meetings", meeting_id, "give_opinion",
                                  {"view": "按实际工资", "reasoning": f"理由{i}"}, at("2025-02-05")))
    one_accepted(results, "you have already given your opinion")
    assert len(rows(any_db, MeetingOpinion, MeetingOpinion.meeting_id == meeting_id)) == 1


def test_twenty_referrals_to_the_committee_leave_one_before_it(any_db, world):
    case_id = flagged_case(any_db, world)
    chief, supervision_id = actor(any_db, "chief"), supervision_of(any_db, case_id).id
    results = race(lambda i: fire(any_db, chief, "supervisions", supervision_id, "refer_to_committee",
                                  {"question": f"是否构成群体性事件风险（{i}）"}, at("2025-02-01")))
    one_accepted(results, "this case is already before the adjudication committee")
    assert len(rows(any_db, CommitteeReferral, CommitteeReferral.case_id == case_id)) == 1


def test_twenty_drafts_submitted_at_once_leave_one_in_review(any_db, world):
    case_id = flagged_case(any_db, world)
    judge = actor(any_db, "judge_a")
    results = race(lambda i: submit_draft(any_db, judge, case_id,
                                          DraftCreate(document_kind="判决书", outcome=f"驳回原告诉讼请求（{i}）"),
                                          at("2025-02-10")))
    one_accepted(results, "a draft of this case is already in review")
    assert len(rows(any_db, DraftReview, DraftReview.case_id == case_id)) == 1


def mandatory_exit(judge_id: int, source: str) -> ExitOpen:
    return ExitOpen(path="mandatory", judge_id=judge_id, ground="assessment_failure",
                    grounds_text="连续两年未完成办案任务", source=source)


def test_twenty_quota_exits_opened_at_once_for_one_judge_leave_one_running(any_db, world):
    hr, judge_id = actor(any_db, "hr"), world.users["judge_b"].id
    results = race(lambda i: start(any_db, hr, mandatory_exit(judge_id, f"hr:{i}"), at("2025-03-03")))
    one_accepted(results, "is already running")
    assert len(rows(any_db, ExitProceeding, ExitProceeding.judge_id == judge_id)) == 1


def test_the_same_quota_exit_opened_twenty_times_at_once_is_one_proceeding(any_db, world):
    """An opening with the same source is idempotent: every caller gets the one proceeding's id."""
    hr, judge_id = actor(any_db, "hr"), world.users["judge_b"].id
    results = race(lambda i: start(any_db, hr, mandatory_exit(judge_id, "ladder:2024:b"), at("2025-03-03")))
    assert {outcome for outcome, _ in results} == {"ok"} and len({pid for _, pid in results}) == 1, results
    assert len(rows(any_db, ExitProceeding)) == 1


def test_twenty_flags_at_once_open_one_supervision_and_each_category_once(any_db, world):
    case_id = case_in_trial(any_db, world)
    office = actor(any_db, "office")
    results = race(lambda i: flag_by_hand(any_db, office, case_id, FlagCreate(category=1 + i % 4, reason=f"社会关注{i}"),
                                          at("2025-02-04")))
    assert [outcome for outcome, _ in results] == ["ok"] * N, results
    assert sorted(value for _, value in results) == [False] * (N - 4) + [True] * 4
    assert len(rows(any_db, Supervision, Supervision.case_id == case_id)) == 1


def test_twenty_reassignment_requests_over_http_get_one_success_and_nineteen_409s(client, any_db, world):
    """The same race through the API, on real threads: the losers get a 409 with the reason, never a 500."""
    case_id = case_in_trial(any_db, world)
    headers = login(client, "judge_a")
    body = {"event": "request_reassignment", "payload": {"reason_code": "健康", "reason": "住院治疗"}}
    results = race(lambda i: client.post(f"/api/v1/cases/{case_id}/transitions", json=body, headers=headers))
    answers = sorted((r.status_code, r.json().get("detail") if r.status_code == 409 else "") for _, r in results)
    waiting = "a reassignment request for this case is already waiting for a decision"
    assert answers == [(200, "")] + [(409, waiting)] * (N - 1), answers


def a_waiting_reassignment(db, world, case_id):
    return ReassignmentRequest(case_id=case_id, court_id=world.courts["hp"].id, reason_code="健康", reason="住院治疗",
                               requested_by=world.users["judge_a"].id, requested_on=at("2025-02-10").date())


def an_opinion_of_judge_b(db, world, case_id):
    meeting_id = rows(db, MeetingReferral, MeetingReferral.case_id == case_id)[0].id
    return MeetingOpinion(meeting_id=meeting_id, user_id=world.users["judge_b"].id, view="甲",
                          given_on=at("2025-02-05").date())


@pytest.mark.parametrize("rule, row, reason", [
    ("uq_reassignment_waiting", a_waiting_reassignment,
     "a reassignment request for this case is already waiting for a decision"),
    ("meeting_opinion(meeting_id, user_id)", an_opinion_of_judge_b, "you have already given your opinion"),
])
def test_a_write_the_database_refuses_reads_as_the_services_own_refusal(any_db, world, rule, row, reason):
    """Both databases name the broken rule differently (PostgreSQL the index, SQLite the columns);
    either way the refusal is the one the service's check gives."""
    case_id = case_in_trial(any_db, world, procedure="civil-first-simplified")
    panel_refers(any_db, actor(any_db, "judge_a"), case_id, MeetingCreate(question="加班费计算基数", options="甲；乙"),
                 at("2025-02-04"))
    with pytest.raises(IntegrityError) as caught, any_db.write() as s:
        s.add(row(any_db, world, case_id))
        s.flush()
        s.add(row(any_db, world, case_id))
    assert violated_unique(caught.value) == rule
    with pytest.raises(Refused, match=reason), database_rules(), any_db.write() as s:
        s.add_all([row(any_db, world, case_id), row(any_db, world, case_id)])


def test_twenty_commands_at_once_leave_one_unbroken_trace(any_db, world):
    """The appends of commands that overlap (on PostgreSQL they really do) take their turns at the chain's tail:
    every command is traced, and the chain verifies."""
    case_id = case_in_trial(any_db, world)
    results = race(lambda i: act(any_db, "judge_a", "cases", case_id, "serve", {"note": f"送达 {i}"}, "2025-01-21"))
    assert [outcome for outcome, _ in results] == ["ok"] * N, results
    assert len(rows(any_db, TraceEntry, TraceEntry.action == "cases.serve")) == N
    with any_db.read() as s:
        verdict = verify(s)
    assert verdict.ok, verdict.problem
