"""挂账督办: one sweep chases every due date. A ladder explanation the judge ignores is reminded, noticed
overdue, escalated to the chief and then to the president, each exactly once however often the monitor
runs; the chief who ignores the escalation too has the lapse (怠于履行) recorded and in their dossier."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from services.assessment.monthly import run_monthly_assessment
from services.kernel.dossier import dossier_entries
from services.kernel.lapses import lapses_of
from services.kernel.sweeps import run_daily_monitor
from store.models import Notice, SupervisionLapse, Task
from tests.assessment_helpers import add_cases, moment
from tests.case_helpers import at
from tests.factories import small_world


@pytest.fixture
def world(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_cases(s, world, "judge_a", 2, "2024-11-06")          # January: nothing closed, the ladder opens
    run_monthly_assessment(any_db, date(2025, 2, 1), moment(date(2025, 2, 1)))
    return world


def explanation(db) -> Task:
    with db.read() as s:
        return s.exec(select(Task).where(Task.kind == "file_explanation")).one()


def notices(db, kind: str) -> list[tuple[int, str]]:
    with db.read() as s:
        rows = s.exec(select(Notice).where(Notice.kind == kind).order_by(Notice.id)).all()
    return [(n.recipient_user_id, n.created_at.date().isoformat()) for n in rows]


def supervision(db) -> list[tuple[str, int, int, date]]:
    with db.read() as s:
        rows = s.exec(select(Task).where(Task.kind == "supervise_overdue_task").order_by(Task.id)).all()
    return [(t.assignee_role, t.assignee_user_id, t.context["level"], t.due_on) for t in rows]


def run_every_day(db, first: date, last: date) -> None:
    """The monitor on every day of the range, twice a day."""
    day = first
    while day <= last:
        for _ in range(2):
            run_daily_monitor(db, day, at(day.isoformat()))
        day += timedelta(days=1)


def test_an_ignored_explanation_climbs_to_the_chief_and_the_president_and_the_chiefs_lapse_is_recorded(any_db, world):
    task = explanation(any_db)
    judge, chief, president = (world.users[u].id for u in ("judge_a", "chief", "president"))
    due = task.due_on
    assert task.assignee_user_id == judge and due is not None

    run_every_day(any_db, due - timedelta(days=3), due)
    assert notices(any_db, "task_due_soon") == [(judge, (due - timedelta(days=2)).isoformat())]
    assert notices(any_db, "task_overdue") == [] and supervision(any_db) == []

    run_every_day(any_db, due + timedelta(days=1), due + timedelta(days=2))
    assert [u for u, _ in notices(any_db, "task_overdue")] == [judge]
    assert supervision(any_db) == []

    run_every_day(any_db, due + timedelta(days=3), due + timedelta(days=5))   # overdue day + 2: the chief
    chief_due = due + timedelta(days=6)
    assert supervision(any_db) == [("division_chief", chief, 1, chief_due)]
    assert [u for u, _ in notices(any_db, "task_escalated")] == [chief]

    run_every_day(any_db, due + timedelta(days=6), due + timedelta(days=6))   # 3 more days: the president
    assert supervision(any_db)[1:] == [("president", president, 2, due + timedelta(days=9))]
    assert [u for u, _ in notices(any_db, "task_escalated")] == [chief, president]
    assert explanation(any_db).escalation_level == 2
    with any_db.read() as s:
        assert s.exec(select(SupervisionLapse)).all() == []          # the chief's task is due today: not yet

    run_every_day(any_db, due + timedelta(days=7), due + timedelta(days=8))   # the chief left it overdue too
    with any_db.read() as s:
        lapses = s.exec(select(SupervisionLapse)).all()
        filed = [e for e in dossier_entries(s, chief, due.year) if e.kind == "supervision_lapse"]
        mine = lapses_of(s, chief, due.year)
    assert [(lp.user_id, lp.kind, lp.chased_task_id, lp.recorded_on) for lp in lapses] == [
        (chief, "ignored_supervision", task.id, due + timedelta(days=7))]
    assert [e.ref_id for e in filed] == [lapses[0].id] and "怠于履行" in filed[0].title and mine == lapses
    assert [u for u, _ in notices(any_db, "task_overdue")] == [judge, chief]   # the chief's own task, overdue
    assert len(notices(any_db, "task_due_soon")) == 3                          # judge, chief, president: once each


def test_the_chiefs_supervision_ends_when_the_judge_files_and_nothing_more_is_chased(any_db, world):
    from services.kernel.engine import fire
    from tests.case_helpers import actor

    task = explanation(any_db)
    due = task.due_on
    run_every_day(any_db, due + timedelta(days=3), due + timedelta(days=3))
    assert [r for r, *_ in supervision(any_db)] == ["division_chief"]
    fire(any_db, actor(any_db, "judge_a"), "ladder_steps", task.subject_id, "file_explanation",
         {"explanation": "一月新收案件集中，两件需鉴定", "measures": "每周排期两次开庭，月底前结案两件"},
         at((due + timedelta(days=4)).isoformat()))
    with any_db.read() as s:
        assert s.exec(select(Task.state).where(Task.kind == "supervise_overdue_task")).all() == ["done"]
    run_every_day(any_db, due + timedelta(days=4), due + timedelta(days=12))
    with any_db.read() as s:
        assert s.exec(select(SupervisionLapse)).all() == []
    assert len(supervision(any_db)) == 1 and len(notices(any_db, "task_escalated")) == 1


def test_the_chiefs_lapse_is_in_their_yearly_dossier_and_on_the_overdue_list(any_db, world, client):
    from tests.integration.conftest import login

    due = explanation(any_db).due_on
    run_every_day(any_db, due + timedelta(days=3), due + timedelta(days=3))
    run_every_day(any_db, due + timedelta(days=7), due + timedelta(days=7))
    chief = world.users["chief"].id
    dossier = client.get(f"/api/v1/dossier/{chief}/{due.year}", headers=login(client, "chief")).json()
    # the chief is a quota judge (monthly record) and a leader with a caseload share (issue 19) too
    assert sorted(e["kind"] for e in dossier) == ["leader_caseload", "monthly_record", "supervision_lapse"]
    document = client.get(f"/api/v1/dossier/{chief}/{due.year}/document", headers=login(client, "chief")).text
    assert "怠于履行监督管理职责" in document
    listed = client.get("/api/v1/tasks/overdue", headers=login(client, "vp")).json()["lapses"]
    assert [(lp["leader"], lp["kind"]) for lp in listed] == [("chief", "ignored_supervision")]
    assert client.get("/api/v1/tasks/overdue", headers=login(client, "chief_sh")).json()["lapses"] == []
