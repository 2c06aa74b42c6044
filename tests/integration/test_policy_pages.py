"""The policy page: the override typed as YAML or by field, its diff and what-if shown, a bad key named, a
version saved and listed."""
import re

from tests.case_helpers import designate, file
from tests.factories import PASSWORD, add_user, small_world


def _login(client, username: str) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
                       ).status_code == 303
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/tasks").text).group(1)


def test_the_policy_page_checks_replays_and_saves(client, any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "admin_hp", "hp", ["court_admin"])
    case_id = file(any_db, world, number="（2024）辽0102民初1号", filed="2024-05-06")
    designate(any_db, world, case_id, day="2024-05-07")
    csrf = _login(client, "admin_hp")
    url = f"/admin/courts/{world.courts['hp'].id}/policies/monitoring"
    page = client.get(url)
    assert page.status_code == 200 and 'name="f:warnings.days_before"' in page.text
    bad = client.post(url, data={"csrf_token": csrf, "action": "check", "yaml": "warnings:\n  day_before: [1]\n"})
    assert bad.status_code == 422 and "warnings.day_before" in bad.text
    replay = client.post(url, data={"csrf_token": csrf, "action": "what_if", "months": "12",
                                    "yaml": "warnings:\n  days_before: [20, 10, 5]\n"})
    assert replay.status_code == 200 and 'data-key="warnings.days_before"' in replay.text
    assert 'data-section="warnings"' in replay.text and "4 → 3" in replay.text
    by_field = client.post(url, data={"csrf_token": csrf, "action": "check", "source": "fields",
                                      "f:warnings.days_before": "[20, 10, 5]"})
    assert by_field.status_code == 200 and 'data-key="warnings.days_before"' in by_field.text
    saved = client.post(url, data={"csrf_token": csrf, "action": "save", "effective_from": "2025-04-01",
                                   "why": "试行", "yaml": "warnings:\n  days_before: [20, 10, 5]\n"})
    assert saved.status_code == 303
    listed = client.get(url)
    assert "v1" in listed.text and "2025年4月1日" in listed.text and "试行" in listed.text


def test_a_divisions_override_has_its_own_page_where_the_policy_allows_it(client, any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "admin_hp", "hp", ["court_admin"])
    csrf = _login(client, "admin_hp")
    court_url = f"/admin/courts/{world.courts['hp'].id}/policies/assignment"
    civil = world.divisions["hp_civil"].id
    page = client.get(court_url)
    assert page.status_code == 200 and "全院" in page.text and f"?division_id={civil}" in page.text
    url = f"{court_url}?division_id={civil}"
    own = client.get(url)
    assert own.status_code == 200 and "hp_civil" in own.text and 'name="locks"' not in own.text
    diff = client.post(url, data={"csrf_token": csrf, "action": "what_if", "months": "12",
                                  "yaml": "reassignment:\n  reasons:\n    回避: vice_president\n"})
    assert diff.status_code == 200 and 'data-key="reassignment.reasons.回避"' in diff.text
    saved = client.post(url, data={"csrf_token": csrf, "action": "save", "effective_from": "2025-04-01",
                                   "why": "民庭试行", "yaml": "reassignment:\n  reasons:\n    回避: vice_president\n"})
    assert saved.status_code == 303 and f"division_id={civil}" in saved.headers["location"]
    assert "民庭试行" in client.get(url).text and "民庭试行" not in client.get(court_url).text
    petitions = client.get(f"/admin/courts/{world.courts['hp'].id}/policies/petitions?division_id={civil}")
    assert petitions.status_code == 422 and "不能按部门单独调整" in petitions.text  # set per court only
