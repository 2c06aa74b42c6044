"""What the pages state as facts: a closed case has no days left and is never overdue."""
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
