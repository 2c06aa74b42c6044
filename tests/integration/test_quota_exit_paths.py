"""Natural exits and applications (SPEC §6) through the API: recorded or applied, checked, approved
(an application with findings only with an override reason), in effect; re-entry within 5 years."""
from datetime import date

import pytest
from sqlmodel import select

from services.kernel.dossier import dossier_entries
from store.models import ReassignmentRequest, TraceEntry, User
from tests.exit_helpers import exit_world, pending_cases
from tests.integration.conftest import login


@pytest.fixture
def world(any_db):
    return exit_world(any_db)


def post(client, who, url, body, status=200):
    r = client.post(url, headers=login(client, who), json=body)
    assert r.status_code == status, r.text
    return r.json()


def event(client, who, pid, name, payload=None, status=200):
    return post(client, who, f"/api/v1/exit_proceedings/{pid}/transitions", {"event": name, "payload": payload or {}},
                status)


def in_quota(db, world, name="judge_a") -> bool:
    with db.read() as s:
        return s.get(User, world.users[name].id).is_quota_judge


def test_a_retirement_is_recorded_and_takes_effect_on_approval(any_db, world, client):
    cases = pending_cases(any_db, world)
    opened = post(client, "hr", "/api/v1/exit_proceedings", {"path": "natural", "judge_id": world.users["judge_a"].id,
                                                              "ground": "retirement", "grounds_text": "2025年3月退休"}, 201)
    assert opened["state"] == "recorded" and opened["allowed_events"] == ["withdraw"]
    assert in_quota(any_db, world)
    done = event(client, "committee_a", opened["id"], "approve", {"note": "同意"})
    assert done["state"] == "effective" and done["left_quota_on"] == "2025-03-03"
    assert not in_quota(any_db, world)
    with any_db.read() as s:
        assert sorted(r.case_id for r in s.exec(select(ReassignmentRequest)).all()) == cases
        assert [e.title for e in dossier_entries(s, world.users["judge_a"].id, 2025)][-2:] == [
            "退出员额，2件未结案件提请变更承办法官", "批准退出员额"]


def test_a_natural_ground_cannot_open_a_mandatory_exit_and_only_personnel_open_one(any_db, world, client):
    r = client.post("/api/v1/exit_proceedings", headers=login(client, "hr"),
                    json={"path": "mandatory", "judge_id": world.users["judge_a"].id, "ground": "retirement",
                          "grounds_text": "退休"})
    assert r.status_code == 422 and "'retirement' is not a mandatory ground" in r.text
    r = client.post("/api/v1/exit_proceedings", headers=login(client, "chief"),
                    json={"path": "mandatory", "judge_id": world.users["judge_a"].id, "ground": "assessment_failure",
                          "grounds_text": "考核不合格"})
    assert r.status_code == 409 and "only personnel" in r.text
    with any_db.read() as s:
        assert s.exec(select(TraceEntry).where(TraceEntry.action == "refused:exit_proceedings.open_mandatory")).one()


def test_an_application_of_a_judge_under_three_years_needs_an_override_reason(any_db, world, client):
    with any_db.write() as s:
        judge = s.get(User, world.users["judge_a"].id)
        judge.quota_since = date(2023, 9, 1)
        s.add(judge)
    opened = post(client, "judge_a", "/api/v1/exit_proceedings",
                  {"path": "application", "grounds_text": "因家庭原因申请退出员额"}, 201)
    assert opened["checks"]["findings"] == ["in the quota since 2023-09-01, under 3 years"]
    r = client.post(f"/api/v1/exit_proceedings/{opened['id']}/transitions", headers=login(client, "committee_a"),
                    json={"event": "approve", "payload": {}})
    assert r.status_code == 409 and "usually refused when in the quota since 2023-09-01" in r.json()["detail"]
    assert in_quota(any_db, world)
    done = event(client, "committee_a", opened["id"], "approve", {"override_reason": "家庭特殊困难，经院党组研究同意"})
    assert done["state"] == "effective" and done["override_reason"] == "家庭特殊困难，经院党组研究同意"
    assert not in_quota(any_db, world)


def test_an_application_by_the_lead_judge_of_an_important_case_is_flagged_and_may_be_refused(any_db, world, client):
    [case_id] = pending_cases(any_db, world, n=1)
    with any_db.write() as s:
        from store.models import Case
        case = s.get(Case, case_id)
        case.party_count = 15
        s.add(case)
    opened = post(client, "judge_a", "/api/v1/exit_proceedings", {"path": "application", "grounds_text": "申请退出"}, 201)
    assert opened["checks"]["important_cases"] == ["（2025）辽0102民初1号"]
    refused = event(client, "committee_a", opened["id"], "refuse", {"reason": "承办重大群体性案件尚未审结"})
    assert refused["state"] == "refused" and in_quota(any_db, world)


def test_a_judge_rotated_out_re_enters_within_five_years_by_approval(any_db, world, client):
    opened = post(client, "hr", "/api/v1/exit_proceedings", {"path": "natural", "judge_id": world.users["judge_a"].id,
                                                              "ground": "rotation", "grounds_text": "交流至政治部任职"}, 201)
    event(client, "committee_a", opened["id"], "approve")
    asked = event(client, "judge_a", opened["id"], "apply_reentry", {"reason": "交流期满，申请回到审判岗位"})
    assert asked["state"] == "reentry_requested"
    assert event(client, "committee_b", opened["id"], "approve_reentry")["state"] == "reentered"
    assert in_quota(any_db, world)


def test_re_entry_is_refused_for_a_retirement(any_db, world, client):
    opened = post(client, "hr", "/api/v1/exit_proceedings", {"path": "natural", "judge_id": world.users["judge_a"].id,
                                                              "ground": "retirement", "grounds_text": "退休"}, 201)
    event(client, "committee_a", opened["id"], "approve")
    r = client.post(f"/api/v1/exit_proceedings/{opened['id']}/transitions", headers=login(client, "hr"),
                    json={"event": "apply_reentry", "payload": {"reason": "返聘"}})
    assert r.status_code == 409 and "job need" in r.json()["detail"]
