"""Pages made for the people acting: facts stated right (a closed case is never overdue), exports from the session."""
import re

import pytest

from tests.case_helpers import act, designate, file
from tests.factories import small_world
from tests.integration.test_pages import page_login


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def test_a_withdrawn_case_long_past_its_deadline_shows_closed_not_overdue(any_db, world, client):
    case_id = file(any_db, world, number="（2024）辽0102民初7号", filed="2024-01-08")
    designate(any_db, world, case_id, day="2024-01-09")
    act(any_db, "judge_a", "cases", case_id, "withdraw", {"on": "2024-02-01", "ruling_ref": "（2024）辽0102民初7号之一"},
        day="2024-02-01")
    pending = file(any_db, world, number="（2024）辽0102民初8号", filed="2024-01-08")
    page_login(client, "chief")

    listing = client.get("/cases?state=all").text
    row = listing.split(f'data-case-id="{case_id}"')[1].split("</tr>")[0]
    assert "已结案" in row and "已超审限" not in row and "剩余" not in row
    still_open = listing.split(f'data-case-id="{pending}"')[1].split("</tr>")[0]
    assert "已超审限" in still_open  # a pending case past its deadline still says so
    page = client.get(f"/cases/{case_id}").text
    countdown = page.split('id="countdown">')[1].split("</dd>")[0]
    assert "已结案" in countdown and "已超审限" not in countdown


def test_the_dashboards_exports_download_in_the_logged_in_browser_session(any_db, world, client):
    page_login(client, "chief")
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    links = re.findall(r'href="(/dashboard/indicators\.(?:csv|xlsx)\?[^"]+)"', dashboard.text)
    assert len(links) == 2
    csv_answer, xlsx_answer = (client.get(link.replace("&amp;", "&")) for link in links)
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text.lstrip("\ufeff").startswith("层级,编号,名称")
    assert xlsx_answer.status_code == 200 and xlsx_answer.content[:2] == b"PK"  # a zip: the workbook
    client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', dashboard.text)[1]})
    assert client.get(links[0].replace("&amp;", "&")).status_code in (303, 307)  # logged out: to the login page
