"""The process map (流程全景) over the demo province: every count opens the list behind it, as long as the count, each
entry opening its subject; and no reader finds in a count or a list a subject they could not open — need to know
included (tasks, petitions, quota exits, ladder steps, score items, interference reports)."""
import re
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.deps import get_now
from services.demo.seed import DEMO_PASSWORD, seed_demo
from store.models import (Court, ExitProceeding, InterferenceReport, LadderStep, Petition, ScoreItem, Task, User)
from tests.conftest import module_database
from tests.integration.test_pages import page_login

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
NEED_TO_KNOW = {"tasks": Task, "petitions": Petition, "exit_proceedings": ExitProceeding, "ladder_steps": LadderStep,
                "score_items": ScoreItem, "interference_reports": InterferenceReport}
READERS = ("hp_chief_civil1", "hp_judge01", "hp_judge02", "hp_personnel", "hp_trial_office")
COUNT = re.compile(r'<a href="(/process/[^"]+)">[^<]*<strong class="count">(\d+)</strong>')
ENTRY = re.compile(r'<tr class="process-entry"><td><a href="([^"]+)"')


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request, tmp_path_factory):
    """The demo province, seeded once per module and database."""
    db = module_database(request, tmp_path_factory, "process")
    seed_demo(db, NOW)
    app = create_app(db)
    app.dependency_overrides[get_now] = lambda: NOW
    yield db, app
    db.dispose()


def reader(app, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    assert page_login(client, username, DEMO_PASSWORD).status_code == 303
    return client


def counts(client) -> dict[str, int]:
    """Each count of the map that opens a list of its own, by the list's address."""
    return {href.replace("&amp;", "&"): int(n) for href, n in COUNT.findall(client.get("/process").text)}


def listed(client, href: str) -> tuple[int, list[str]]:
    """The total the list says, and every entry's link, page after page."""
    entries, page = [], 1
    while True:
        html = client.get(href + ("&" if "?" in href else "?") + f"page={page}")
        assert html.status_code == 200, (href, html.status_code)
        total = int(re.search(r'data-total="(\d+)"', html.text)[1])
        entries += ENTRY.findall(html.text)
        if 'page=' + str(page + 1) not in html.text:
            return total, entries
        page += 1


@pytest.mark.parametrize("username", ["hp_chief_civil1", "hp_judge02"])
def test_every_count_opens_a_list_as_long_as_the_count(demo, username):
    client = reader(demo[1], username)
    found = counts(client)
    for href, n in found.items():
        total, entries = listed(client, href)
        assert total == n == len(entries), href
    kinds = {href.split("/")[2] for href in found}
    assert {"tasks", "ladder_steps", "interference_reports"} <= kinds  # need to know is counted too


@pytest.mark.parametrize("username", READERS)
def test_a_reader_finds_on_the_map_exactly_the_subjects_of_their_court_they_may_open(demo, username):
    db, app = demo
    client = reader(app, username)
    shown: dict[str, set[int]] = {}
    for href in counts(client):
        for entry in listed(client, href)[1]:
            kind, number = entry.split("/")[2:4]
            shown.setdefault(kind, set()).add(int(number))
    with db.read() as s:
        court = s.exec(select(User.court_id).where(User.username == username)).one()
        here = {kind: set(s.exec(select(model.id).where(model.court_id == court)).all())
                for kind, model in NEED_TO_KNOW.items()}
    for kind, ids in here.items():
        opens = {i for i in ids if client.get(f"/s/{kind}/{i}").status_code == 200}
        assert shown.get(kind, set()) & ids == opens, kind
        assert all(client.get(f"/s/{kind}/{i}").status_code == 200 for i in shown.get(kind, set()) - ids), kind


def test_a_judges_quota_exit_is_on_their_map_and_not_on_a_colleagues(demo):
    db, app = demo
    with db.read() as s:
        exit_judge = s.exec(select(User.username).join(ExitProceeding, ExitProceeding.judge_id == User.id)
                            .join(Court, Court.id == User.court_id).where(Court.code == "辽0102")
                            .order_by(ExitProceeding.id)).first()
    own = counts(reader(app, exit_judge))
    assert any(href.startswith("/process/exit_proceedings/") and "variant=" in href for href in own)
    colleague = "hp_judge01" if exit_judge != "hp_judge01" else "hp_judge05"
    html = reader(app, colleague).get("/process").text
    assert "/process/exit_proceedings/" not in html


@pytest.mark.parametrize("address", ["/process/nothing/open", "/process/tasks/nowhere",
                                     "/process/exit_proceedings/effective", "/process/exit_proceedings/effective?variant=X"])
def test_a_list_of_a_kind_state_or_machine_the_map_does_not_have_is_not_found(demo, address):
    assert reader(demo[1], "hp_chief_civil1").get(address).status_code == 404
