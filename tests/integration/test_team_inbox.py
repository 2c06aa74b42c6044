"""The team inbox (issue 17): claim and give back, assign and reassign, priority, delegation for a period,
moving all of one person's tasks at once, and the 挂账督办 list — with the refusals a court expects."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from services.kernel.sweeps import run_daily_monitor
from services.kernel.tasks import my_tasks, open_task
from store.bulk import insert_many_ignoring_duplicates
from store.models import Task, TraceEntry
from tests.case_helpers import actor, at
from tests.factories import small_world
from tests.integration.conftest import login


@pytest.fixture
def world(any_db):
    return small_world(any_db)


@pytest.fixture
def now():
    """The API's clock: a Monday in March 2025."""
    return at("2025-03-10")


def add(db, world, title: str, day: str, *, user: str | None = None, role: str | None = None,
        due: str | None = None) -> int:
    with db.write() as s:
        open_task(s, kind="review_list", title=title, subject_kind="tasks", subject_id=0,
                  court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                  assignee_user_id=world.users[user].id if user else None, assignee_role=role,
                  due_on=date.fromisoformat(due) if due else None, at=at(day), dedupe_key=f"t:{title}")
        return s.exec(select(Task.id).where(Task.dedupe_key == f"t:{title}")).one()


def holder(db, task_id: int) -> tuple[int | None, int | None]:
    with db.read() as s:
        task = s.get(Task, task_id)
        return task.assignee_user_id, task.delegated_from_user_id


def fire(client, headers, task_id: int, event: str, payload: dict | None = None):
    return client.post(f"/api/v1/tasks/{task_id}/transitions", headers=headers,
                       json={"event": event, "payload": payload or {}})


def actions(db) -> list[str]:
    with db.read() as s:
        return [e.action for e in s.exec(select(TraceEntry).order_by(TraceEntry.seq)).all()]


def test_a_task_offered_to_a_role_is_claimed_given_back_and_assigned_with_the_refusals(any_db, world, client):
    task = add(any_db, world, "审阅清单", "2025-03-03", role="division_chief", due="2025-03-10")
    chief, judge = login(client, "chief"), login(client, "judge_a")
    refused = fire(client, judge, task, "claim")
    assert refused.status_code == 409 and "you do not hold the role 'division_chief'" in refused.json()["detail"]
    assert fire(client, chief, task, "claim").status_code == 200
    assert holder(any_db, task)[0] == world.users["chief"].id
    assert fire(client, chief, task, "unclaim").status_code == 200 and holder(any_db, task)[0] is None
    no_role = fire(client, chief, task, "assign", {"user_id": world.users["judge_b"].id, "reason": "转交"})
    assert no_role.status_code == 409 and "does not hold the role 'division_chief'" in no_role.json()["detail"]
    by_judge = fire(client, judge, task, "assign", {"user_id": world.users["chief"].id, "reason": "转交"})
    assert by_judge.status_code == 409
    urgent = fire(client, chief, task, "prioritise", {"priority": "urgent"})
    assert urgent.status_code == 200 and urgent.json()["priority"] == "urgent"
    assert fire(client, chief, task, "complete", {"note": "已阅"}).status_code == 200
    done = fire(client, chief, task, "assign", {"user_id": world.users["chief"].id, "reason": "重新指派"})
    assert done.status_code == 409 and "not allowed while the tasks is 'done'" in done.json()["detail"]
    assert [a for a in actions(any_db) if "tasks." in a] == [
        "refused:tasks.claim", "tasks.claim", "tasks.unclaim", "refused:tasks.assign", "refused:tasks.assign",
        "tasks.prioritise", "tasks.complete", "refused:tasks.assign"]


def test_the_chief_reassigns_a_judges_task_to_a_colleague_who_is_told(any_db, world, client):
    task = add(any_db, world, "撰写调研报告", "2025-03-03", user="judge_a", due="2025-03-20")
    moved = fire(client, login(client, "chief"), task, "assign", {"user_id": world.users["judge_b"].id,
                                                                  "reason": "承办法官出差"})
    assert moved.status_code == 200 and holder(any_db, task) == (world.users["judge_b"].id, None)
    assert [t["id"] for t in client.get("/api/v1/tasks", headers=login(client, "judge_b")).json()] == [task]
    assert client.get("/api/v1/tasks", headers=login(client, "judge_a")).json() == []
    clerk = fire(client, login(client, "chief"), task, "assign", {"user_id": world.users["clerk_a"].id,
                                                                  "reason": "转书记员"})
    assert clerk.status_code == 409 and "does not hold the role 'judge'" in clerk.json()["detail"]


def test_a_delegation_moves_the_judges_open_and_new_tasks_to_the_delegate_and_back_after_it(any_db, world, client):
    a, b = world.users["judge_a"].id, world.users["judge_b"].id
    before = add(any_db, world, "开庭前阅卷", "2025-03-03", user="judge_a", due="2025-03-30")
    r = client.post("/api/v1/delegations", headers=login(client, "judge_a"), json={
        "delegate_user_id": b, "role": "judge", "starts_on": "2025-03-11", "ends_on": "2025-03-14", "reason": "年休假"})
    assert r.status_code == 201 and r.json()["state"] == "scheduled"
    run_daily_monitor(any_db, date(2025, 3, 10), at("2025-03-10"))
    assert holder(any_db, before) == (a, None)                         # not yet
    run_daily_monitor(any_db, date(2025, 3, 11), at("2025-03-11"))
    assert holder(any_db, before) == (b, a)                            # the period starts: the open task moves
    new = add(any_db, world, "答复当事人来信", "2025-03-12", user="judge_a", due="2025-03-25")
    assert holder(any_db, new) == (b, a)                               # a new one goes straight to the delegate
    with any_db.write() as s:                                          # a sweep's bulk insert reaches the next day
        insert_many_ignoring_duplicates(s, Task, [dict(
            kind="four_type_report", title="四类案件报告", subject_kind="tasks", subject_id=0,
            court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id, assignee_user_id=a,
            due_on=date(2025, 3, 28), state="open", dedupe_key="bulk:1", escalation_level=0, context={},
            created_at=at("2025-03-12"), version=1)], ["dedupe_key"])
    run_daily_monitor(any_db, date(2025, 3, 13), at("2025-03-13"))
    with any_db.read() as s:
        mine = [t.title for t in my_tasks(s, actor(any_db, "judge_b"))
                if t.kind != "interference_monthly_report"]  # each judge's own monthly report (三个规定)
        bulk = s.exec(select(Task.id).where(Task.dedupe_key == "bulk:1")).one()
    assert sorted(mine) == sorted(["开庭前阅卷", "答复当事人来信", "四类案件报告"])
    assert fire(client, login(client, "judge_b"), new, "complete", {"note": "已答复"}).status_code == 200
    run_daily_monitor(any_db, date(2025, 3, 14), at("2025-03-14"))
    assert holder(any_db, before) == (b, a)                            # the last day: still the delegate's
    run_daily_monitor(any_db, date(2025, 3, 15), at("2025-03-15"))
    assert holder(any_db, before) == holder(any_db, bulk) == (a, None)  # back by itself
    assert holder(any_db, new) == (b, a)                               # what the delegate finished stays theirs
    assert client.get("/api/v1/delegations", headers=login(client, "judge_a")).json()[0]["state"] == "ended"
    assert [x for x in actions(any_db) if x.startswith("delegations.")] == [
        "delegations.create", "delegations.start", "delegations.start", "delegations.end"]


def test_a_delegation_ended_early_hands_the_tasks_back_at_once_only_by_its_giver_or_their_superior(
        any_db, world, client):
    a, b = world.users["judge_a"].id, world.users["judge_b"].id
    before = add(any_db, world, "开庭前阅卷", "2025-03-03", user="judge_a", due="2025-03-30")
    made = client.post("/api/v1/delegations", headers=login(client, "judge_a"), json={
        "delegate_user_id": b, "role": "judge", "starts_on": "2025-03-10", "ends_on": "2025-03-20", "reason": "年休假"})
    assert made.status_code == 201 and holder(any_db, before) == (b, a)   # starts today: at once
    end = f"/api/v1/delegations/{made.json()['id']}/end"
    for who in ("judge_b", "judge_c"):                                    # the delegate, a colleague: no power
        refused = client.post(end, headers=login(client, who), json={"reason": "提前返岗"})
        assert refused.status_code == 409 and "Only the person who gave the delegation" in refused.json()["detail"]
    assert client.post(end, headers=login(client, "judge_sh"), json={"reason": "提前返岗"}).status_code == 404
    ended = client.post(end, headers=login(client, "chief"), json={"reason": "法官提前结束休假返岗"})
    assert ended.status_code == 200 and (ended.json()["state"], ended.json()["ended_on"], ended.json()["ended_by"]) == (
        "ended", "2025-03-10", world.users["chief"].id)
    assert holder(any_db, before) == (a, None)                            # back at once
    again = client.post(end, headers=login(client, "judge_a"), json={"reason": "再次结束"})
    assert again.status_code == 409 and "already ended" in again.json()["detail"]
    assert holder(any_db, add(any_db, world, "新的待办", "2025-03-11", user="judge_a")) == (a, None)
    run_daily_monitor(any_db, date(2025, 3, 12), at("2025-03-12"))
    assert holder(any_db, before) == (a, None)                            # the sweep does not start it again
    assert [x for x in actions(any_db) if "delegations." in x] == [
        "delegations.create", "delegations.start", "refused:delegations.end_early", "refused:delegations.end_early",
        "delegations.end_early", "refused:delegations.end_early"]
    with any_db.read() as s:
        entry = s.exec(select(TraceEntry).where(TraceEntry.action == "delegations.end_early")).one()
    assert (entry.after["tasks_moved"], entry.after["planned_ends_on"], entry.why) == (1, "2025-03-20", "法官提前结束休假返岗")


def test_the_delegations_page_ends_ones_own_delegation_and_shows_it_ended(any_db, world, client):
    from tests.integration.test_pages import csrf_of, page_login

    page_login(client, "judge_a")
    token = csrf_of(client.get("/tasks/delegations").text)
    client.post("/tasks/delegations", data={"csrf_token": token, "delegate_user_id": world.users["judge_b"].id,
                                            "role": "judge", "starts_on": "2025-03-11", "ends_on": "2025-03-14",
                                            "reason": "年休假"})
    page = client.get("/tasks/delegations")
    assert "提前结束" in page.text
    with any_db.read() as s:
        from store.models import Delegation
        delegation_id = s.exec(select(Delegation.id)).one()
    short = client.post(f"/tasks/delegations/{delegation_id}/end", data={"csrf_token": token, "reason": "x"})
    assert short.status_code == 422
    ended = client.post(f"/tasks/delegations/{delegation_id}/end", data={"csrf_token": token, "reason": "取消休假"},
                        follow_redirects=True)
    assert ended.status_code == 200 and "委托已提前结束，未办结的待办已退回委托人" in ended.text
    assert "2025年3月10日 结束" in ended.text and "end-delegation-button" not in ended.text
    twice = client.post(f"/tasks/delegations/{delegation_id}/end", data={"csrf_token": token, "reason": "取消休假"})
    assert twice.status_code == 409 and "该委托已经结束" in twice.text
    page_login(client, "chief")                                           # the chief sees their judges' delegations
    assert "本庭（院）人员的委托" not in client.get("/tasks/delegations").text   # (none left in force)


@pytest.mark.parametrize("who, role, why", [
    ("judge_a", "judge", "you cannot delegate your tasks to yourself"),
    ("clerk_a", "judge", "does not hold the role 'judge'"),
    ("judge_sh", "judge", "works in another court"),
    ("judge_b", "division_chief", "you do not hold the role 'division_chief'"),
])
def test_a_delegation_the_rules_do_not_allow_is_refused_and_traced(any_db, world, client, who, role, why):
    r = client.post("/api/v1/delegations", headers=login(client, "judge_a"), json={
        "delegate_user_id": world.users[who].id, "role": role, "starts_on": "2025-03-10", "ends_on": "2025-03-14",
        "reason": "年休假"})
    assert r.status_code == 409 and why in r.json()["detail"]
    assert actions(any_db)[-1] == "refused:delegations.create"


def test_a_thousand_tasks_move_to_a_colleague_in_one_traced_command(any_db, world, client):
    a, b = world.users["judge_a"].id, world.users["judge_b"].id
    rows = [dict(kind="review_list", title=f"待办{i}", subject_kind="tasks", subject_id=0,
                 court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id, assignee_user_id=a,
                 due_on=date(2025, 4, 1) + timedelta(days=i % 30), state="open", dedupe_key=f"k:{i}",
                 escalation_level=0, context={}, created_at=at("2025-03-03"), version=1) for i in range(1000)]
    with any_db.write() as s:
        insert_many_ignoring_duplicates(s, Task, rows, ["dedupe_key"])
    done = add(any_db, world, "已办结", "2025-03-03", user="judge_a")
    with any_db.write() as s:
        s.get(Task, done).state = "done"
    body = {"from_user_id": a, "to_user_id": b, "reason": "承办法官调离"}
    by_judge = client.post("/api/v1/tasks/bulk-reassign", headers=login(client, "judge_b"), json=body)
    assert by_judge.status_code == 409 and actions(any_db)[-1] == "refused:tasks.bulk_reassign"
    to_clerk = client.post("/api/v1/tasks/bulk-reassign", headers=login(client, "chief"),
                           json={**body, "to_user_id": world.users["clerk_a"].id})
    assert to_clerk.status_code == 409 and "does not hold the role 'judge'" in to_clerk.json()["detail"]
    other_court = client.post("/api/v1/tasks/bulk-reassign", headers=login(client, "chief_sh"), json=body)
    assert other_court.status_code == 404
    r = client.post("/api/v1/tasks/bulk-reassign", headers=login(client, "chief"), json=body)
    assert r.status_code == 200 and r.json()["count"] == 1000
    with any_db.read() as s:
        held = s.exec(select(Task.assignee_user_id, Task.state).where(Task.kind == "review_list")).all()
        entries = s.exec(select(TraceEntry).where(TraceEntry.action == "tasks.bulk_reassign")).all()
    assert sorted(set(held)) == sorted({(b, "open"), (a, "done")})
    assert len(entries) == 1 and entries[0].after["count"] == 1000 and len(entries[0].after["task_ids"]) == 1000
    assert entries[0].actor == "chief" and entries[0].why == "承办法官调离"


def test_the_overdue_list_shows_each_supervisor_their_place_and_exports(any_db, world, client):
    add(any_db, world, "逾期待办", "2025-03-03", user="judge_a", due="2025-03-05")
    add(any_db, world, "未到期待办", "2025-03-03", user="judge_b", due="2025-04-30")
    for day in ("2025-03-06", "2025-03-09"):
        run_daily_monitor(any_db, date.fromisoformat(day), at(day))
    rows = client.get("/api/v1/tasks/overdue", headers=login(client, "chief")).json()["tasks"]
    mine = next(r for r in rows if r["title"] == "逾期待办")
    assert (mine["holder"], mine["days_overdue"], mine["escalations"]) == ("judge_a", 5, 1)
    assert "未到期待办" not in [r["title"] for r in rows]
    assert any(r["title"].startswith("督办逾期事项") for r in rows) is False      # the chief's own task is not late yet
    for who in ("vp", "mid_office"):                                       # the court, the higher court's office
        assert "逾期待办" in [r["title"] for r in client.get("/api/v1/tasks/overdue", headers=login(client, who))
                              .json()["tasks"]]
    for who in ("chief_sh", "judge_a"):
        assert client.get("/api/v1/tasks/overdue", headers=login(client, who)).json()["tasks"] == []
    csv_text = client.get("/api/v1/tasks/overdue.csv", headers=login(client, "chief")).text
    assert csv_text.startswith("\ufeff序号") and "逾期待办" in csv_text and "judge_a" in csv_text


def test_the_pages_list_export_delegate_and_reassign_with_refusals_shown(any_db, world, client):
    from tests.integration.test_pages import csrf_of, page_login

    add(any_db, world, "逾期待办", "2025-03-03", user="judge_a", due="2025-03-05")
    run_daily_monitor(any_db, date(2025, 3, 6), at("2025-03-06"))
    page_login(client, "chief")
    listing = client.get("/tasks/overdue")
    assert listing.status_code == 200 and "逾期待办" in listing.text and 'href="/tasks/overdue.csv"' in listing.text
    assert "逾期待办" in client.get("/tasks/overdue.csv").text
    form = client.get("/tasks/reassign")
    token = csrf_of(form.text)
    refused = client.post("/tasks/reassign", data={"csrf_token": token, "from_user_id": world.users["judge_a"].id,
                                                   "to_user_id": world.users["clerk_a"].id, "reason": "调岗"})
    assert refused.status_code == 409 and "不具有法官角色" in refused.text
    moved = client.post("/tasks/reassign", data={"csrf_token": token, "from_user_id": world.users["judge_a"].id,
                                                 "to_user_id": world.users["judge_b"].id, "reason": "调岗"})
    # the overdue task; judge_a's own monthly report (三个规定) stays with judge_a (tasks.yaml personal_kinds)
    assert moved.status_code == 200 and "已改派 1 项待办" in moved.text
    page_login(client, "judge_b")
    page = client.get("/tasks/delegations")
    own = client.post("/tasks/delegations", data={
        "csrf_token": csrf_of(page.text), "delegate_user_id": world.users["judge_b"].id, "role": "judge",
        "starts_on": "2025-03-11", "ends_on": "2025-03-14", "reason": "年休假"})
    assert own.status_code == 409 and "不能将待办委托给自己" in own.text
    ok = client.post("/tasks/delegations", data={
        "csrf_token": csrf_of(page.text), "delegate_user_id": world.users["judge_c"].id, "role": "judge",
        "starts_on": "2025-03-11", "ends_on": "2025-03-14", "reason": "年休假"}, follow_redirects=True)
    assert ok.status_code == 200 and "委托已登记" in ok.text and "judge_c" in ok.text
    assert "/tasks/overdue" not in client.get("/tasks").text               # the list is for supervisors


def test_a_judge_leaving_the_quota_has_their_open_tasks_offered_to_the_division_chief_in_one_command(any_db, client):
    from tests.exit_helpers import exit_world

    world = exit_world(any_db)
    a = world.users["judge_a"].id
    mine = add(any_db, world, "撰写审判经验总结", "2025-03-03", user="judge_a", due="2025-03-20")
    theirs = add(any_db, world, "同事的待办", "2025-03-03", user="judge_b", due="2025-03-20")
    opened = client.post("/api/v1/exit_proceedings", headers=login(client, "hr"), json={
        "path": "natural", "judge_id": a, "ground": "retirement", "grounds_text": "2025年3月退休"}).json()
    done = client.post(f"/api/v1/exit_proceedings/{opened['id']}/transitions", headers=login(client, "committee_a"),
                       json={"event": "approve", "payload": {"note": "同意"}})
    assert done.status_code == 200 and done.json()["state"] == "effective"
    with any_db.read() as s:
        task = s.get(Task, mine)
        entry = s.exec(select(TraceEntry).where(TraceEntry.action == "tasks.bulk_reassign")).one()
    assert (task.assignee_user_id, task.assignee_role, task.state) == (None, "division_chief", "open")
    assert holder(any_db, theirs)[0] == world.users["judge_b"].id
    assert entry.subject_id == a and entry.after["task_ids"] == [mine] and "员额退出程序" in entry.why
    assert mine in [t["id"] for t in client.get("/api/v1/tasks", headers=login(client, "chief")).json()]
