"""流程节点管理 and 裁判文书上网: a civil case walks its nodes and misses two; a judgment takes effect and is
published late, or exempted only with a ground. Each missed node is flagged once, escalated once, and shown
late on the case page, however often the daily monitor runs."""
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.deps import get_now

from services.kernel.errors import Refused
from services.kernel.sweeps import run_daily_monitor
from store.models import CaseNode, Notice, Task
from tests.case_helpers import act, at, designate, file
from tests.factories import small_world
from tests.integration.test_pages import page_login


@pytest.fixture
def world(db):
    return small_world(db)


@pytest.fixture
def client(db, now):
    app = create_app(db)
    app.dependency_overrides[get_now] = lambda: now
    return TestClient(app, follow_redirects=False)


def nodes(db, case_id) -> dict[str, CaseNode]:
    with db.read() as s:
        return {n.node: n for n in s.exec(select(CaseNode).where(CaseNode.case_id == case_id)).all()}


def run_every_day(db, first: date, last: date) -> None:
    day = first
    while day <= last:
        for _ in range(2):
            run_daily_monitor(db, day, at(day.isoformat()))
        day += timedelta(days=1)


def chased(db, node: CaseNode) -> tuple[list[str], list[str]]:
    """The chase's notices on the node's task, and the supervision tasks it opened."""
    with db.read() as s:
        kinds = [n.kind for n in s.exec(select(Notice).where(Notice.kind.in_(("task_due_soon", "task_overdue"))))
                 if n.context.get("task_id") == node.task_id]
        escalations = s.exec(select(Task).where(Task.escalates_task_id == node.task_id)).all()
    return sorted(kinds), [(t.assignee_role, t.kind) for t in escalations]


def test_a_civil_case_missing_two_nodes_has_each_flagged_escalated_and_shown_late_once(db, world, client):
    case_id = file(db, world, received_on=date(2025, 1, 3))          # filed Monday 2025-01-06
    planned = {code: n.planned_on for code, n in nodes(db, case_id).items()}
    assert planned == {"filed_in_time": date(2025, 1, 10),            # CPL art. 126: 7 days of receipt
                       "assigned": date(2025, 1, 9),                  # the court's 3 days
                       "complaint_served": date(2025, 1, 13)}         # art. 128: Saturday 01-11 → Monday
    assert nodes(db, case_id)["filed_in_time"].done_on == date(2025, 1, 6)

    designate(db, world, case_id, day="2025-01-07")                   # the assignment node done on time
    assert nodes(db, case_id)["panel_told"].planned_on == date(2025, 1, 10)   # art. 131: 3 days
    act(db, "clerk_a", "cases", case_id, "record_node", {"node": "complaint_served", "on": "2025-01-08"}, "2025-01-08")
    # the panel is never told (missed); the defence arrives and its copy is never served (missed)
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "defence_received", "on": "2025-01-20"},
        "2025-01-20")
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "hearing_scheduled", "on": "2025-02-20"},
        "2025-01-21")
    assert nodes(db, case_id)["hearing_notified"].planned_on == date(2025, 2, 17)   # art. 139: 3 days before
    act(db, "clerk_a", "cases", case_id, "record_node", {"node": "hearing_notified", "on": "2025-02-10"}, "2025-02-10")

    run_every_day(db, date(2025, 1, 8), date(2025, 2, 12))

    late = {code: n for code, n in nodes(db, case_id).items() if n.late}
    assert sorted(late) == ["defence_served", "panel_told"]
    assert late["panel_told"].flagged_on == date(2025, 1, 11)
    defence_due = late["defence_served"].planned_on
    assert late["defence_served"].flagged_on == defence_due + timedelta(days=1)
    for node in late.values():
        notices_, escalations = chased(db, node)
        assert notices_ == ["task_due_soon", "task_overdue"]
        assert escalations == [("division_chief", "supervise_overdue_task")]
    for code in ("filed_in_time", "assigned", "complaint_served", "hearing_notified"):
        assert chased(db, nodes(db, case_id)[code])[1] == []

    page_login(client, "judge_a")
    html = client.get(f"/cases/{case_id}").text
    for code in ("panel_told", "defence_served"):
        row = html.split(f'data-node="{code}"')[1].split("</tr>")[0]
        assert 'class="late"' in html.split(f'data-node="{code}"')[1][:20] and "超期" in row
    assert "《中华人民共和国民事诉讼法》第一百三十一条" in html
    hearing_row = html.split('data-node="hearing_notified"')[1].split("</tr>")[0]
    assert "按期" in hearing_row and "超期" not in hearing_row


def _decided_case(db, world) -> int:
    case_id = file(db, world)
    designate(db, world, case_id, day="2025-01-07")
    act(db, "judge_a", "cases", case_id, "hold_hearing", {"on": "2025-02-10"}, "2025-02-10")
    act(db, "judge_a", "cases", case_id, "decide", {"decided_on": "2025-02-20", "document_ref": "（2025）辽0102民初1号"},
        "2025-02-20")
    return case_id


def test_a_judgment_not_published_is_warned_and_flagged_on_the_eighth_working_day(db, world):
    case_id = _decided_case(db, world)
    with pytest.raises(Refused, match="not open"):
        act(db, "judge_a", "cases", case_id, "publish", {"reference": "网上公布-1"}, "2025-03-05")
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "took_effect", "on": "2025-03-10"}, "2025-03-10")
    node = nodes(db, case_id)["published"]
    assert (node.planned_on, node.source) == (date(2025, 3, 19), "spc_publication_art7")   # 7 working days
    run_every_day(db, date(2025, 3, 10), date(2025, 3, 19))
    node = nodes(db, case_id)["published"]
    assert (node.flagged_on, node.late) == (None, False)
    assert chased(db, node) == (["task_due_soon"], [])
    run_every_day(db, date(2025, 3, 20), date(2025, 3, 21))            # 03-20: the 8th working day
    node = nodes(db, case_id)["published"]
    assert (node.flagged_on, node.late) == (date(2025, 3, 20), True)
    assert chased(db, node) == (["task_due_soon", "task_overdue"], [("division_chief", "supervise_overdue_task")])
    act(db, "judge_a", "cases", case_id, "publish", {"on": "2025-03-21", "reference": "网上公布-1"}, "2025-03-21")
    node = nodes(db, case_id)["published"]
    assert (node.done_on, node.reference, node.late) == (date(2025, 3, 21), "网上公布-1", True)
    with db.read() as s:
        assert s.get(Task, node.task_id).state == "done"
        assert {t.state for t in s.exec(select(Task).where(Task.escalates_task_id == node.task_id))} == {"done"}


def test_an_exemption_needs_a_ground_and_other_needs_the_chiefs_approval(db, world):
    case_id = _decided_case(db, world)
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "took_effect", "on": "2025-03-10"}, "2025-03-10")
    with pytest.raises(Refused, match="ground from the rules"):
        act(db, "judge_a", "cases", case_id, "exempt_publication", {"reason": "不宜公开"}, "2025-03-11")
    with pytest.raises(Refused, match="division chief"):
        act(db, "judge_a", "cases", case_id, "exempt_publication", {"ground": "other", "reason": "不宜公开"},
            "2025-03-11")
    assert nodes(db, case_id)["published"].done_on is None
    act(db, "judge_a", "cases", case_id, "exempt_publication", {"ground": "divorce_custody"}, "2025-03-11")
    node = nodes(db, case_id)["published"]
    assert (node.done_on, node.exemption_ground, node.late) == (date(2025, 3, 11), "divorce_custody", False)
    run_every_day(db, date(2025, 3, 20), date(2025, 3, 21))
    assert nodes(db, case_id)["published"].flagged_on is None


def test_the_chief_exempts_on_another_ground_with_a_reason(db, world):
    case_id = _decided_case(db, world)
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "took_effect", "on": "2025-03-10"}, "2025-03-10")
    act(db, "chief", "cases", case_id, "exempt_publication", {"ground": "other", "reason": "涉及商业秘密"}, "2025-03-11")
    node = nodes(db, case_id)["published"]
    assert (node.exemption_ground, node.approved_by) == ("other", world.users["chief"].id)


def test_publish_through_the_api_answers_200_then_409_once_published(db, world, client):
    from tests.integration.conftest import login
    case_id = _decided_case(db, world)
    act(db, "judge_a", "cases", case_id, "note_trigger", {"trigger": "took_effect", "on": "2025-03-03"}, "2025-03-03")
    judge = login(client, "judge_a")
    body = {"event": "publish", "payload": {"on": "2025-03-03", "reference": "网上公布-7"}}
    first = client.post(f"/api/v1/cases/{case_id}/transitions", headers=judge, json=body)
    assert first.status_code == 200, first.text
    again = client.post(f"/api/v1/cases/{case_id}/transitions", headers=judge, json=body)
    assert again.status_code == 409 and "not open" in again.json()["detail"]
    assert nodes(db, case_id)["published"].reference == "网上公布-7"
