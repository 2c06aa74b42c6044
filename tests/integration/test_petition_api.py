"""Petitions through the real API and pages: registration, refusals, the board, the counts endpoint."""
import re

import pytest
from sqlmodel import func, select

from store.models import Petition
from tests.case_helpers import file
from tests.factories import small_world
from tests.integration.conftest import login
from tests.integration.test_pages import csrf_of, page_login

NUMBER = "（2025）辽0102民初1号"


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def body(world, **fields):
    return {"channel": "letter", "petitioner": "王某", "matter": "case_progress", "summary": "催促审理进度",
            "court_id": world.courts["hp"].id, **fields}


def stored(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Petition)).one()


def test_the_trial_office_registers_a_petition_and_it_is_due_in_15_days(any_db, world, client):
    file(any_db, world, filed="2025-02-10")
    r = client.post("/api/v1/petitions", headers=login(client, "office"),
                    json=body(world, case_number=NUMBER, court_id=None))
    assert r.status_code == 201, r.text
    view = r.json()
    assert (view["state"], view["registered_on"], view["due_on"]) == ("registered", "2025-03-03", "2025-03-18")
    assert view["allowed_events"] == ["assign", "merge"]


@pytest.mark.parametrize("fields, loc, message", [
    ({"petitioner": ""}, ["petitioner"], "the name is missing"),
    ({"case_number": "（2025）辽0102民初404号"}, ["case_number"], "no case （2025）辽0102民初404号 is on file"),
])
def test_a_registration_without_petitioner_or_with_an_unknown_case_is_422_and_stores_nothing(
        any_db, world, client, fields, loc, message):
    r = client.post("/api/v1/petitions", headers=login(client, "office"), json=body(world, **fields))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == loc and message in r.json()["detail"][0]["msg"]
    assert stored(any_db) == 0


def test_a_judge_cannot_register_and_gets_409(any_db, world, client):
    r = client.post("/api/v1/petitions", headers=login(client, "judge_a"), json=body(world))
    assert r.status_code == 409 and "trial office or a filing clerk" in r.json()["detail"]


def test_the_counts_endpoint_shows_only_visible_courts(any_db, world, client):
    office = login(client, "office")
    client.post("/api/v1/petitions", headers=office, json=body(world))
    client.post("/api/v1/petitions", headers=login(client, "mid_office"),
                json=body(world, court_id=world.courts["sh"].id))
    here = client.get("/api/v1/petitions/counts?start=2025-03-01&end=2025-03-31", headers=office).json()
    province = client.get("/api/v1/petitions/counts?start=2025-03-01&end=2025-03-31",
                          headers=login(client, "mid_office")).json()
    assert [(c["court_name"], c["received"]) for c in here] == [("沈阳市和平区人民法院", 1)]
    assert sorted(c["court_name"] for c in province) == ["沈阳市和平区人民法院", "沈阳市沈河区人民法院"]
    bad = client.get("/api/v1/petitions/counts?start=2025-03-31&end=2025-03-01", headers=office)
    assert bad.status_code == 422


def test_the_board_and_the_page_form_register_and_assign(any_db, world, client):
    page_login(client, "office")
    form = client.get("/petitions/new")
    assert form.status_code == 200 and "登记信访" in form.text
    refused = client.post("/petitions/new", data={"csrf_token": csrf_of(form.text), "channel": "visit",
                                                  "petitioner": "", "summary": "反映问题",
                                                  "court_id": str(world.courts["hp"].id), "matter": "other"})
    assert refused.status_code == 422 and "登记信访须写明信访人姓名" in refused.text and stored(any_db) == 0
    done = client.post("/petitions/new", data={"csrf_token": csrf_of(form.text), "channel": "visit",
                                               "petitioner": "张某", "summary": "反映问题", "matter": "other",
                                               "court_id": str(world.courts["hp"].id)})
    assert done.status_code == 303
    petition_id = int(re.search(r"/s/petitions/(\d+)", done.headers["location"]).group(1))
    page = client.get(f"/s/petitions/{petition_id}")
    assert "张某" in page.text and 'data-event="assign"' in page.text and "hp_civil" in page.text
    assigned = client.post(f"/s/petitions/{petition_id}/fire", data={
        "csrf_token": csrf_of(page.text), "event": "assign", "version": "1",
        "division_id": str(world.divisions["hp_civil"].id), "handler_user_id": ""})
    assert assigned.status_code == 303
    board = client.get("/petitions")
    row = re.search(rf'<tr data-petition-id="{petition_id}".*?</tr>', board.text, re.S).group(0)
    assert "张某" in row and "hp_civil" in row and "剩余 15 天" in row
