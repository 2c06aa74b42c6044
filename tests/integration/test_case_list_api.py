"""The case list, filing and draws through the real API: visibility, filters, sorting, paging."""
from datetime import date

import pytest

from services.kernel import engine as transitions
from services.kernel.auth import actor_for
from services.cases.filing import CaseCreate, file_case
from tests.integration.conftest import login
from tests.factories import add_user, small_world


@pytest.fixture
def world(any_db):
    w = small_world(any_db)
    with any_db.write() as s:
        add_user(s, w, "filing_sh", "sh", ["filing_clerk"])
    return w


def file(db, world, now, number, division="hp_civil", procedure="civil-first-simplified", filed_on=date(2025, 2, 3),
         clerk="filing", judge=None, chief="chief"):
    case_id = file_case(db, actor_for(db, world.users[clerk].id),
                        CaseCreate(case_number=number, cause="民间借贷纠纷", procedure=procedure,
                                   division_id=world.divisions[division].id, filed_on=filed_on), now)
    if judge:
        transitions.fire(db, actor_for(db, world.users[chief].id), "cases", case_id, "assign",
                         {"method": "designated", "judge_id": world.users[judge].id, "reason": "专业对口"}, now)
    return case_id


@pytest.fixture
def cases(any_db, world, now):
    """Five cases: three in 和平 civil, one in 和平 criminal, one in 沈河 civil."""
    return {
        "overdue": file(any_db, world, now, "（2024）辽0102民初0001号", filed_on=date(2024, 11, 1), judge="judge_a"),
        "soon": file(any_db, world, now, "（2025）辽0102民初0002号", filed_on=date(2024, 12, 10), judge="judge_a"),
        "later": file(any_db, world, now, "（2025）辽0102民初0003号", procedure="civil-first-ordinary",
                      filed_on=date(2025, 3, 1), judge="judge_b"),
        "criminal": file(any_db, world, now, "（2025）辽0102刑初0004号", division="hp_criminal",
                         procedure="criminal-first-public", filed_on=date(2025, 2, 20)),
        "sh": file(any_db, world, now, "（2025）辽0103民初0005号", division="sh_civil", clerk="filing_sh",
                   filed_on=date(2025, 2, 1)),
    }


def numbers(body):
    return [item["case_number"] for item in body["items"]]


def test_the_president_sees_the_courts_cases_by_deadline_and_not_another_courts(client, cases):
    body = client.get("/api/v1/cases", headers=login(client, "president")).json()
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 50
    assert "（2025）辽0103民初0005号" not in numbers(body)
    deadlines = [i["deadline"] for i in body["items"]]
    assert deadlines == sorted(deadlines)
    first = body["items"][0]
    assert first["case_number"] == "（2024）辽0102民初0001号" and first["days_left"] < 0
    assert first["lead_judge_name"] == "judge_a" and first["state"] == "assigned" and first["id"] == cases["overdue"]


def test_a_division_grant_sees_only_its_division_and_a_subtree_grant_sees_both_courts(client, cases):
    civil = numbers(client.get("/api/v1/cases", headers=login(client, "judge_c")).json())
    assert len(civil) == 3 and all("民初" in n and "辽0102" in n for n in civil)
    assert client.get("/api/v1/cases", headers=login(client, "mid_office")).json()["total"] == 5
    assert client.get("/api/v1/cases", headers=login(client, "chief_sh")).json()["total"] == 1


def test_filters_court_division_judge_state_and_days_left(client, world, cases):
    h = login(client, "mid_office")
    get = lambda **q: client.get("/api/v1/cases", headers=h, params=q).json()  # noqa: E731
    assert get(court_id=world.courts["sh"].id)["total"] == 1
    assert numbers(get(division_id=world.divisions["hp_criminal"].id)) == ["（2025）辽0102刑初0004号"]
    assert set(numbers(get(judge_id=world.users["judge_a"].id))) == {"（2024）辽0102民初0001号", "（2025）辽0102民初0002号"}
    assert get(state="filed")["total"] == 2 and get(state="assigned")["total"] == 3
    overdue = get(days_left_max=-1)
    assert numbers(overdue) == ["（2024）辽0102民初0001号"] and all(i["days_left"] < 0 for i in overdue["items"])
    within_30 = get(days_left_max=30)
    assert all(i["days_left"] <= 30 for i in within_30["items"]) and "（2025）辽0102民初0002号" in numbers(within_30)
    assert all(i["days_left"] >= 0 for i in get(days_left_min=0)["items"])


def test_a_stopped_clock_has_no_days_left_and_matches_no_days_left_filter(client, any_db, world, cases, now):
    judge = actor_for(any_db, world.users["judge_a"].id)
    transitions.fire(any_db, judge, "cases", cases["soon"], "start_trial", {}, now)
    transitions.fire(any_db, judge, "cases", cases["soon"], "open_exclusion", {"kind": "鉴定", "start": "2025-02-20"}, now)
    h = login(client, "mid_office")
    get = lambda **q: client.get("/api/v1/cases", headers=h, params=q).json()  # noqa: E731
    listed = {i["case_number"]: i for i in get(state="in_trial")["items"]}
    assert listed["（2025）辽0102民初0002号"]["days_left"] is None and listed["（2025）辽0102民初0002号"]["clock_stopped"]
    assert "（2025）辽0102民初0002号" not in numbers(get(days_left_max=3650))
    assert get(state="in_trial", days_left_max=3650)["total"] == 0
    assert get(state="suspended", days_left_max=3650) == {"items": [], "total": 0, "total_exact": True, "page": 1,
                                                           "per_page": 50}


def test_sorting_and_paging(client, cases):
    h = login(client, "mid_office")
    by_number = numbers(client.get("/api/v1/cases", headers=h, params={"sort": "case_number"}).json())
    assert by_number == sorted(by_number)
    filed = client.get("/api/v1/cases", headers=h, params={"sort": "filed_on", "order": "desc"}).json()["items"]
    assert [i["filed_on"] for i in filed] == sorted((i["filed_on"] for i in filed), reverse=True)
    pages = [client.get("/api/v1/cases", headers=h, params={"sort": "case_number", "per_page": 2, "page": p}).json()
             for p in (1, 2, 3)]
    assert [p["total"] for p in pages] == [5, 5, 5] and [len(p["items"]) for p in pages] == [2, 2, 1]
    assert sum((numbers(p) for p in pages), []) == by_number
    assert client.get("/api/v1/cases", headers=h, params={"per_page": 201}).status_code == 422


@pytest.mark.parametrize("params", [{"sort": "judge"}, {"state": "lost"}, {"order": "sideways"}])
def test_a_bad_sort_state_or_order_is_422(client, world, params):
    r = client.get("/api/v1/cases", headers=login(client, "president"), params=params)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == next(iter(params))


def test_filing_through_the_api(client, world):
    body = {"case_number": "（2025）辽0102民初0100号", "cause": "买卖合同纠纷", "procedure": "civil-first-ordinary",
            "division_id": world.divisions["hp_civil"].id, "filed_on": "2025-03-03"}
    r = client.post("/api/v1/cases", headers=login(client, "filing"), json=body)
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "filed" and r.json()["deadline"] and "assign" in r.json()["allowed_events"]
    refused = client.post("/api/v1/cases", headers=login(client, "judge_a"),
                          json={**body, "case_number": "（2025）辽0102民初0101号"})
    assert refused.status_code == 409 and "filing clerk" in refused.json()["detail"]
    duplicate = client.post("/api/v1/cases", headers=login(client, "filing"), json=body)
    assert duplicate.status_code == 422 and duplicate.json()["detail"][0]["loc"] == ["case_number"]


def test_my_cases_and_the_verified_draws(client, world, cases):
    h = login(client, "judge_a")
    mine = client.get("/api/v1/cases/mine", headers=h).json()
    assert [c["case_number"] for c in mine] == ["（2024）辽0102民初0001号", "（2025）辽0102民初0002号"]
    assert client.get("/api/v1/cases/mine", headers=login(client, "judge_c")).json() == []
    draws = client.get(f"/api/v1/cases/{cases['soon']}/draws", headers=h).json()
    assert [(d["method"], d["result_judge_id"], d["verified"]) for d in draws] == [
        ("designated", world.users["judge_a"].id, True)]
    assert client.get(f"/api/v1/cases/{cases['soon']}/draws", headers=login(client, "chief_sh")).status_code == 404
    assert client.get(f"/api/v1/cases/{cases['soon']}", headers=h).json()["case_number"] == "（2025）辽0102民初0002号"


def _set(db, case_id, **values):
    """Test setup only: put a case straight into a state the list must handle."""
    from sqlalchemy import update

    from store.models import Case
    with db.write() as s:
        s.exec(update(Case).where(Case.id == case_id).values(**values))


def test_the_list_shows_pending_cases_unless_asked_for_closed_or_all(client, any_db, cases):
    _set(any_db, cases["soon"], state="closed", closed_on=date(2025, 3, 1))
    h = login(client, "president")
    get = lambda **q: numbers(client.get("/api/v1/cases", headers=h, params=q).json())  # noqa: E731
    assert "（2025）辽0102民初0002号" not in get() and len(get()) == 3
    assert get(state="closed") == ["（2025）辽0102民初0002号"]
    assert get(state="closed", sort="filed_on", order="desc") == ["（2025）辽0102民初0002号"]
    assert get(state="archived") == [] and get(state="in_trial") == []
    assert len(get(state="all")) == 4 and len(get(state="all", sort="case_number")) == 4
    assert get(state="closed", days_left_max=365) == []  # a closed case has no days left


def test_cases_without_a_time_limit_come_last_in_either_order_and_pages_do_not_overlap(client, any_db, cases):
    _set(any_db, cases["overdue"], deadline=None)
    h = login(client, "mid_office")
    for order in ("asc", "desc"):
        every = numbers(client.get("/api/v1/cases", headers=h, params={"order": order}).json())
        paged = sum((numbers(client.get("/api/v1/cases", headers=h, params={"order": order, "per_page": 2,
                                                                            "page": p}).json()) for p in (1, 2, 3)), [])
        assert every[-1] == "（2024）辽0102民初0001号" and paged == every and len(every) == 5


def test_a_count_past_the_cap_says_it_is_not_exact(client, cases, monkeypatch):
    import services.cases.queries
    monkeypatch.setattr(services.cases.queries, "COUNT_CAP", 3)
    capped = client.get("/api/v1/cases", headers=login(client, "mid_office")).json()
    exact = client.get("/api/v1/cases", headers=login(client, "president"), params={"court_id": 999}).json()
    assert (capped["total"], capped["total_exact"], len(capped["items"])) == (3, False, 5)
    assert (exact["total"], exact["total_exact"]) == (0, True)


def test_an_ended_grant_or_a_deactivated_account_takes_effect_on_the_very_next_call(client, any_db, world, cases):
    """The bearer's user and grants are read on every call: nothing a process remembers outlives a revocation."""
    from sqlalchemy import update

    from store.models import RoleGrant, User
    h = login(client, "president")
    assert client.get("/api/v1/cases", headers=h).json()["total"] == 4
    with any_db.write() as s:
        s.exec(update(RoleGrant).where(RoleGrant.user_id == world.users["president"].id)
               .values(ends_on=date(2025, 1, 31)))
    assert client.get("/api/v1/cases", headers=h).json()["total"] == 0
    with any_db.write() as s:
        s.exec(update(User).where(User.id == world.users["president"].id).values(active=False))
    refused = client.get("/api/v1/cases", headers=h)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
