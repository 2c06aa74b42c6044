"""Need to know: a judge's dossier, assessment and ladder steps are read by the judge, the chain over them,
personnel and the trial office, not by colleagues; a petition about a person is hidden from that person and
from everyone under them, and a petition naming a division chief goes past him to a vice president."""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from services.kernel.dossier import record_in_dossier
from services.kernel.errors import Invalid, NotFound
from store.models import LadderStep, Notice, Task, User
from tests.case_helpers import act, at
from tests.factories import add_user, small_world
from tests.integration.conftest import login
from tests.petition_helpers import register

READERS = ("judge_a", "chief", "vp", "president", "office", "mid_office", "hr")
COLLEAGUES = ("judge_b", "clerk_a", "filing", "chief_sh", "judge_sh", "mid_president", "committee_hp")


@pytest.fixture
def world(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "hr", "hp", ["personnel"])
        add_user(s, world, "committee_hp", "hp", ["committee"])
        add_user(s, world, "assistant_a", "hp", ["assistant"], "hp_civil")
        judge = world.users["judge_a"]
        record_in_dossier(s, at=datetime(2025, 3, 1, tzinfo=timezone.utc), user_id=judge.id, on=date(2025, 2, 28), kind="interview", title="约谈",
                          dedupe_key="t:interview")
        step = LadderStep(user_id=judge.id, court_id=judge.court_id, division_id=judge.division_id, ladder="monthly",
                          step="explanation", action="explanation", label="书面说明", period="2025-02",
                          opened_on=date(2025, 3, 1), dedupe_key="t:step")
        s.add(step)
        s.flush()
        world.step_id = step.id
    return world


def _status(client, user: str, path: str) -> int:
    return client.get(path, headers=login(client, user)).status_code


@pytest.mark.parametrize("what", ["/api/v1/dossier/{uid}/2025", "/api/v1/assessment/{uid}/2025",
                                  "/api/v1/dossier/{uid}/2025/document"])
def test_a_judges_dossier_and_assessment_are_read_by_the_chain_personnel_and_office_only(world, client, what):
    path = what.format(uid=world.users["judge_a"].id)
    answers = {user: _status(client, user, path) for user in READERS + COLLEAGUES + ("assistant_a",)}
    assert {u for u, code in answers.items() if code == 200} == set(READERS)
    assert {code for u, code in answers.items() if u not in READERS} == {404}


def test_the_dossier_says_what_it_holds_only_to_a_reader(world, client):
    path = f"/api/v1/dossier/{world.users['judge_a'].id}/2025"
    assert [e["title"] for e in client.get(path, headers=login(client, "chief")).json()] == ["约谈"]
    assert "约谈" not in client.get(path, headers=login(client, "judge_b")).text


def test_a_ladder_step_is_seen_by_the_judge_the_chain_and_the_committee_not_by_colleagues(world, client):
    path = f"/api/v1/ladder_steps/{world.step_id}"
    seen = {u for u in READERS + COLLEAGUES + ("assistant_a",) if _status(client, u, path) == 200}
    assert seen == set(READERS) | {"committee_hp"}


def test_a_petition_about_a_judge_is_hidden_from_the_judge_but_not_from_the_chief(any_db, world, client):
    pid = register(any_db, world, matter="judge_conduct", named_user_id=world.users["judge_a"].id,
                   petitioner="王某", petitioner_contact="13800000000", summary="反映法官作风问题")
    act(any_db, "office", "petitions", pid, "assign", {"division_id": world.divisions["hp_civil"].id}, "2025-03-04")
    assert _status(client, "judge_a", f"/api/v1/petitions/{pid}") == 404
    listed = client.get("/api/v1/petitions", headers=login(client, "judge_a")).json()
    assert pid not in [p["id"] for p in listed]
    assert _status(client, "chief", f"/api/v1/petitions/{pid}") == 200


def test_a_petition_naming_the_division_chief_goes_past_him_and_his_division(any_db, world, client):
    chief = world.users["chief"]
    pid = register(any_db, world, matter="judge_conduct", named_user_id=chief.id, petitioner="王某",
                   petitioner_contact="13800000000", summary="反映庭长作风问题")
    civil = world.divisions["hp_civil"].id
    with pytest.raises(Invalid, match="回避"):  # a judge of his division works under him
        act(any_db, "office", "petitions", pid, "assign", {"division_id": civil,
                                                             "handler_user_id": world.users["judge_b"].id},
            "2025-03-04")
    act(any_db, "office", "petitions", pid, "assign", {"division_id": civil}, "2025-03-04")
    for user in ("chief", "judge_a", "judge_b", "clerk_a"):
        r = client.get(f"/api/v1/petitions/{pid}", headers=login(client, user))
        assert r.status_code == 404 and "13800000000" not in r.text and "王某" not in r.text
        listed = client.get("/api/v1/petitions", headers=login(client, user)).json()
        assert pid not in [p["id"] for p in listed]
        assert "王某" not in client.get("/api/v1/tasks", headers=login(client, user)).text
    with any_db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "answer_petition")).one()
        told = s.exec(select(User.username).join(Notice, Notice.recipient_user_id == User.id)
                      .where(Notice.kind == "petition_assigned")).all()
    assert task.assignee_role == "vice_president" and told == ["vp"]
    assert _status(client, "chief", f"/api/v1/tasks/{task.id}") == 404
    with pytest.raises(NotFound):
        act(any_db, "chief", "petitions", pid, "answer", {"answer": "不属实", "delivery_method": "phone"}, "2025-03-05")
    answered = act(any_db, "vp", "petitions", pid, "answer",
                   {"answer": "经查，庭长不存在违法审判行为", "delivery_method": "in_person"}, "2025-03-05")
    assert answered["state"] == "answered"


def test_the_daily_reminders_about_a_petition_never_reach_the_person_named(any_db, world):
    from services.kernel.sweeps import run_daily_monitor

    pid = register(any_db, world, matter="judge_conduct", named_user_id=world.users["chief"].id)
    act(any_db, "office", "petitions", pid, "assign", {"division_id": world.divisions["hp_civil"].id}, "2025-03-04")
    run_daily_monitor(any_db, date(2025, 3, 25), at("2025-03-25"))
    with any_db.read() as s:
        told = set(s.exec(select(User.username).join(Notice, Notice.recipient_user_id == User.id)
                          .where(Notice.subject_kind == "petitions", Notice.subject_id == pid)).all())
    assert told and "chief" not in told


def test_an_office_registering_a_petition_about_its_president_gets_201_and_then_no_longer_reads_it(world, client):
    body = {"channel": "letter", "petitioner": "王某", "matter": "judge_conduct", "summary": "反映院长",
            "named_user_id": world.users["president"].id, "court_id": world.courts["hp"].id}
    r = client.post("/api/v1/petitions", json=body, headers=login(client, "office"))
    assert r.status_code == 201 and r.json()["withheld"] is True and "王某" not in r.text
    pid = r.json()["id"]
    assert _status(client, "office", f"/api/v1/petitions/{pid}") == 404
    assert _status(client, "mid_office", f"/api/v1/petitions/{pid}") == 200  # the level above reads it


def test_the_assign_form_offers_no_handler_named_or_under_the_person_named(any_db, world, client):
    from tests.integration.test_pages import page_login

    about_chief = register(any_db, world, matter="judge_conduct", named_user_id=world.users["chief"].id)
    about_judge = register(any_db, world, matter="judge_conduct", named_user_id=world.users["judge_a"].id)
    page_login(client, "office")
    chief_page, judge_page = client.get(f"/s/petitions/{about_chief}").text, client.get(f"/s/petitions/{about_judge}").text
    assert "hp_civil · judge_b" not in chief_page and "hp_civil · chief" not in chief_page
    assert "hp_civil · judge_a" not in judge_page and "hp_civil · judge_b" in judge_page
