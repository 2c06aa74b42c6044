"""当事人 on record: filed with the case, the identity number kept masked, found by name from the search box,
a party of many pending cases shown as a possible series; the import's 当事人 column."""
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.deps import get_now
from services.cases.queries import find_cases
from services.importing import import_cases, import_judges
from store.models import Case, Party
from tests.case_helpers import actor, file
from tests.factories import small_world
from tests.integration.test_import import CASES, JUDGES, sample_rows, write_csv
from tests.integration.test_pages import page_login

BANK = {"name": "沈阳某某银行股份有限公司", "kind": "organisation", "role": "plaintiff",
        "id_number": "91210100MA0XXXXX1Q"}


@pytest.fixture
def world(db):
    return small_world(db)


@pytest.fixture
def client(db, now):
    app = create_app(db)
    app.dependency_overrides[get_now] = lambda: now
    return TestClient(app, follow_redirects=False)


def _file(db, world, n: int, debtor: str) -> int:
    return file(db, world, number=f"（2025）辽0102民初{n}号",
                parties=[BANK, {"name": debtor, "role": "defendant", "id_number": "210102199001011234"}])


def test_parties_are_stored_masked_found_by_name_and_suggest_a_series(db, world, client):
    first = _file(db, world, 1, "张三")
    with db.read() as s:
        rows = s.exec(select(Party).where(Party.case_id == first).order_by(Party.id)).all()
        assert [(p.name, p.role, p.id_number_masked) for p in rows] == [
            ("沈阳某某银行股份有限公司", "plaintiff", "9121**********XX1Q"), ("张三", "defendant", "2101**********1234")]
        assert "199001011234" not in str([p.model_dump() for p in rows])
        assert s.get(Case, first).party_count == 2
    others = [_file(db, world, n, f"借款人{n}") for n in (2, 3)]
    with db.read() as s:
        hits, named = find_cases(s, actor(db, "filing"), "张三")
        assert [c.id for c in hits] == [first] and named.id == first
        hits, _ = find_cases(s, actor(db, "filing"), "沈阳某某银行股份有限公司")
        assert sorted(c.id for c in hits) == sorted([first, *others])

    page_login(client, "filing")
    html = client.get(f"/cases/{first}").text
    assert 'id="serial-cases"' in html and "沈阳某某银行股份有限公司 另涉 2 件未结案件" in html
    assert "（2025）辽0102民初2号" in html and "借款人2 另涉" not in html
    assert "原告" in html and "9121**********XX1Q" in html and "91210100MA0XXXXX1Q" not in html


def test_the_import_reads_the_parties_column(db, tmp_path):
    assert import_judges(db, JUDGES).ok
    rows = sample_rows(CASES)
    header, first = rows[0] + ["当事人"], rows[1] + ["原告:李四:210102198001011234；被告:沈阳某某有限公司"]
    report = import_cases(db, write_csv(tmp_path / "cases.csv", [header, first]))
    assert report.ok, report.render()
    with db.read() as s:
        parties = s.exec(select(Party)).all()
        case = s.exec(select(Case)).one()
    assert [(p.name, p.kind, p.role, p.id_number_masked) for p in parties] == [
        ("李四", "person", "plaintiff", "2101**********1234"), ("沈阳某某有限公司", "organisation", "defendant", "")]
    assert case.party_count == 2 and all(p.case_id == case.id for p in parties)
    bad = import_cases(db, write_csv(tmp_path / "bad.csv", [header, rows[2] + ["原告李四"]]))
    assert not bad.ok and "当事人" in bad.render()
