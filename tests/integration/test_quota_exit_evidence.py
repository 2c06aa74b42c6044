"""Evidence files through the API: stored with their checksum; an empty, oversized or mislabelled
file is refused with the reason and leaves nothing behind; only the proceeding's people see it."""
import hashlib

import pytest
from sqlmodel import select

from store.models import ExitSubmission, TraceEntry
from tests.exit_helpers import PDF, PNG, evidence, exit_world, submissions, through_statement
from tests.integration.conftest import login


@pytest.fixture
def world(any_db):
    return exit_world(any_db)


def files_on_disk(root) -> list:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(client, who, pid, name, data, content_type):
    return client.post(f"/api/v1/exit_proceedings/{pid}/evidence", headers=login(client, who),
                       files={"file": (name, data, content_type)}, data={"description": "证据"})


def test_a_judges_evidence_file_is_stored_with_its_checksum_and_read_back(any_db, world, client, evidence_dir):
    pid = through_statement(any_db, world)
    r = upload(client, "judge_a", pid, "办案统计.png", PNG, "image/png")
    assert r.status_code == 200, r.text
    [row] = [s for s in submissions(any_db, pid) if s.kind == "evidence"]
    assert (row.filename, row.size_bytes, row.sha256) == ("办案统计.png", len(PNG), hashlib.sha256(PNG).hexdigest())
    assert files_on_disk(evidence_dir) == [row.sha256]
    got = client.get(f"/api/v1/exit_proceedings/{pid}/evidence/{row.id}", headers=login(client, "committee_a"))
    assert got.content == PNG and got.headers["x-content-sha256"] == row.sha256
    listed = client.get(f"/api/v1/exit_proceedings/{pid}/submissions", headers=login(client, "hr")).json()
    assert [(s["kind"], s["sha256"]) for s in listed] == [("evidence", row.sha256)]


@pytest.mark.parametrize("name, data, content_type, reason", [
    ("空白.pdf", b"", "application/pdf", "is empty"),
    ("截图.pdf", PNG, "application/pdf", "the file is mislabelled"),
    ("说明.png", PDF, "image/png", "the file is mislabelled"),
    ("程序.exe", b"MZ\x90\x00", "application/x-msdownload", "not accepted"),
])
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_stored(any_db, world, client, evidence_dir, name, data,
                                                                      content_type, reason):
    pid = through_statement(any_db, world)
    r = upload(client, "judge_a", pid, name, data, content_type)
    assert r.status_code == 422 and reason in r.json()["detail"][0]["msg"]
    assert submissions(any_db, pid) == [] and files_on_disk(evidence_dir) == []


def test_an_oversized_file_is_refused_with_413_and_nothing_is_stored(any_db, world, client, evidence_dir):
    pid = through_statement(any_db, world)
    r = upload(client, "judge_a", pid, "大文件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    assert r.status_code == 413 and "over the limit of 10485760 bytes" in r.json()["detail"]
    assert submissions(any_db, pid) == [] and files_on_disk(evidence_dir) == []


def test_a_file_refused_by_the_rules_after_it_was_staged_leaves_nothing_behind(any_db, world, client, evidence_dir):
    pid = through_statement(any_db, world)
    client.post(f"/api/v1/exit_proceedings/{pid}/transitions", headers=login(client, "judge_a"),
                json={"event": "waive", "payload": {}})
    r = upload(client, "judge_a", pid, "补充.pdf", PDF, "application/pdf")
    assert r.status_code == 409 and "waived" in r.json()["detail"]
    assert [s.kind for s in submissions(any_db, pid)] == ["waiver"] and files_on_disk(evidence_dir) == []


def test_the_judge_reads_the_grounds_evidence_and_the_reading_is_traced(any_db, world, client, evidence_dir):
    from tests.exit_helpers import fire, open_for

    pid = open_for(any_db, world)
    fire(any_db, "hr", pid, "add_evidence", evidence("考核结果.pdf", PDF, "application/pdf"))
    fire(any_db, "hr", pid, "notify")
    with any_db.read() as s:
        sid = s.exec(select(ExitSubmission.id)).one()
    assert client.get(f"/api/v1/exit_proceedings/{pid}/evidence/{sid}", headers=login(client, "judge_a")).content == PDF
    assert client.get(f"/api/v1/exit_proceedings/{pid}/evidence/{sid}", headers=login(client, "judge_b")).status_code == 404
    with any_db.read() as s:
        read = s.exec(select(TraceEntry).where(TraceEntry.action == "exit_proceedings.read_evidence")).one()
    assert read.actor == "judge_a" and read.why == "考核结果.pdf"
    notice = client.get(f"/api/v1/exit_proceedings/{pid}/documents/notice", headers=login(client, "judge_a"))
    assert notice.status_code == 200 and "员额退出程序告知书" in notice.text and "考核结果.pdf" in notice.text


def test_only_the_judge_and_the_officials_see_a_proceeding(any_db, world, client):
    pid = through_statement(any_db, world)
    for who, status in (("judge_a", 200), ("hr", 200), ("committee_a", 200), ("president", 200),
                        ("mid_committee", 200), ("judge_b", 404), ("chief", 404), ("chief_sh", 404)):
        assert client.get(f"/api/v1/exit_proceedings/{pid}", headers=login(client, who)).status_code == status, who
    assert [r["id"] for r in client.get("/api/v1/exit_proceedings", headers=login(client, "hr")).json()] == [pid]
    assert client.get("/api/v1/exit_proceedings", headers=login(client, "judge_b")).json() == []
    mine = client.get("/api/v1/exit_proceedings", headers=login(client, "judge_a")).json()
    assert mine[0]["window"] == "statement" and mine[0]["closes_on"] == "2025-03-14" and mine[0]["days_left"] == 11


def test_a_transaction_that_fails_after_the_file_was_staged_leaves_no_file(any_db, world, evidence_dir, monkeypatch):
    import services.quota_exit.steps
    from tests.exit_helpers import fire

    pid = through_statement(any_db, world)

    def broken_submit(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.quota_exit.steps, "submit", broken_submit)
    with pytest.raises(RuntimeError):
        fire(any_db, "judge_a", pid, "add_evidence", evidence("说明.pdf", PDF, "application/pdf"), "2025-03-05")
    assert submissions(any_db, pid) == [] and files_on_disk(evidence_dir) == []
