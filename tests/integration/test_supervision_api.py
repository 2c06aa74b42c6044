"""The supervision API as a client sees it: flag, board, draft, the supervisor refused an outcome."""
import pytest

from tests.case_helpers import act
from tests.factories import small_world
from tests.integration.conftest import login
from tests.supervision_helpers import flagged_case


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def test_flag_board_and_a_draft_whose_outcome_no_reviewer_can_set(client, any_db, world):
    case_id = flagged_case(any_db, world)
    office, judge, chief = login(client, "office"), login(client, "judge_a"), login(client, "chief")
    r = client.post(f"/api/v1/cases/{case_id}/four-type-flags", json={"category": 1, "reason": "社会关注"}, headers=office)
    assert (r.status_code, r.json()) == (201, {"flagged": True})
    r = client.post(f"/api/v1/cases/{case_id}/four-type-flags", json={"category": 1, "reason": "x"}, headers=judge)
    assert r.status_code == 422
    board = client.get("/api/v1/supervision/board", headers=chief).json()
    assert [row["case_id"] for row in board["flagged"]] == [case_id] and board["flagged"][0]["categories"] == [1, 2]
    r = client.post(f"/api/v1/cases/{case_id}/drafts", json={"document_kind": "判决书", "outcome": "驳回诉讼请求"},
                    headers=judge)
    assert r.status_code == 201 and r.json()["state"] == "in_review"
    draft_id, version = r.json()["id"], r.json()["version"]
    assert [d["id"] for d in client.get("/api/v1/supervision/board", headers=chief).json()["drafts"]] == [draft_id]
    r = client.post(f"/api/v1/drafts/{draft_id}/transitions", headers=chief,
                    json={"event": "approve", "payload": {"outcome": "支持诉讼请求"}, "expected_version": version})
    assert r.status_code == 422
    r = client.post(f"/api/v1/cases/{case_id}/transitions", headers=chief,
                    json={"event": "decide", "payload": {"decided_on": "2025-03-03"}})
    assert r.status_code == 409
    view = client.get(f"/api/v1/cases/{case_id}/supervision", headers=judge).json()
    assert view["drafts"][0]["outcome"] == "驳回诉讼请求" and view["supervision"]["state"] == "flagged"
    assert client.get(f"/api/v1/cases/{case_id}/supervision", headers=login(client, "chief_sh")).status_code == 404


def test_a_second_approval_on_the_same_version_is_a_409_not_a_double_step(client, any_db, world):
    case_id = flagged_case(any_db, world)
    r = client.post(f"/api/v1/cases/{case_id}/drafts", json={"document_kind": "判决书", "outcome": "驳回"},
                    headers=login(client, "judge_a"))
    draft_id, version = r.json()["id"], r.json()["version"]
    chief = login(client, "chief")
    body = {"event": "approve", "payload": {}, "expected_version": version}
    first = client.post(f"/api/v1/drafts/{draft_id}/transitions", headers=chief, json=body)
    second = client.post(f"/api/v1/drafts/{draft_id}/transitions", headers=chief, json=body)
    assert (first.status_code, second.status_code) == (200, 409)
    act(any_db, "vp", "drafts", draft_id, "approve", {}, "2025-03-03")
