"""`courtflow import judges|cases`: the sample exports, the bad file, formats and the all-or-nothing rule."""
import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import SQLModel, func, select

import cli.importing
from cli.importing import import_command
from services.importing import import_cases, import_judges
from services.importing.org import division_category, inferred_name
from store.db import Database
from store.models import Case, Court, RoleGrant, TraceEntry, User

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
JUDGES, CASES = SAMPLES / "judges_export.csv", SAMPLES / "cases_export.csv"
CASES_GB, CASES_BAD = SAMPLES / "cases_export_gb18030.csv", SAMPLES / "cases_export_bad.csv"


def count(db, model) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def cases_by_number(db) -> dict[str, dict]:
    with db.read() as s:
        rows = s.exec(select(Case)).all()
    return {c.case_number: c.model_dump(exclude={"id", "created_at", "lead_judge_id", "court_id", "division_id"})
            for c in rows}


def fresh_db(tmp_path, name: str) -> Database:
    database = Database(f"sqlite:///{tmp_path / name}")
    SQLModel.metadata.create_all(database.writer)
    return database


def sample_rows(path: Path = CASES) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def judged(db):
    """A SQLite database holding the sample judges."""
    assert import_judges(db, JUDGES).ok
    return db


def test_judges_then_cases_import_all_40_sample_cases(any_db):
    judges = import_judges(any_db, JUDGES)
    assert judges.ok, judges.render()
    assert (judges.rows_read, judges.rows_imported, count(any_db, User)) == (18, 18, 18)
    report = import_cases(any_db, CASES)
    assert report.ok, report.render()
    assert (report.rows_read, report.rows_imported, count(any_db, Case)) == (40, 40, 40)
    assert report.counts == {"closed": 8, "in_trial": 19, "mediated": 9, "withdrawn": 4}
    with any_db.read() as s:
        trace = s.exec(select(TraceEntry).order_by(TraceEntry.seq)).all()
    assert [t.action for t in trace] == ["import.judges", "import.cases"]
    assert trace[1].after["rows_imported"] == 40 and trace[1].after["file"] == "cases_export.csv"
    assert trace[1].after["sha256"] == report.sha256 and len(report.sha256) == 64


def test_imported_cases_take_state_deadline_and_place_from_the_export_and_judge(judged):
    assert import_cases(judged, CASES).ok
    with judged.read() as s:
        pending = s.exec(select(Case).where(Case.case_number == "（2025）辽0102民初533号")).one()
        judge = s.get(User, pending.lead_judge_id)
        mediated = s.exec(select(Case).where(Case.case_number == "（2025）辽01民终770号")).one()
        ruled = s.exec(select(Case).where(Case.case_number == "（2024）辽0402民初510号")).one()
    assert (pending.state, pending.filed_on, pending.party_count) == ("in_trial", date(2025, 5, 4), 4)
    assert pending.deadline == date(2025, 11, 4) and pending.calendar_complete
    assert (pending.court_id, pending.division_id) == (judge.court_id, judge.division_id)
    assert (judge.staff_no, judge.display_name) == ("J0102001", "王建国")
    assert (mediated.state, mediated.closed_on, mediated.deadline) == ("mediated", date(2025, 7, 26), None)
    assert (mediated.closing_method, mediated.decision_doc_ref) == ("调解", "imported")
    assert (ruled.state, ruled.closing_method) == ("closed", "裁定驳回")


def test_judges_import_builds_the_court_tree_divisions_and_roles(judged):
    with judged.read() as s:
        courts = {c.code: c for c in s.exec(select(Court))}
        chief = s.exec(select(User).where(User.staff_no == "J0102003")).one()
        non_quota = s.exec(select(User).where(User.staff_no == "J0102008")).one()
        chief_roles = {g.role for g in s.exec(select(RoleGrant).where(RoleGrant.user_id == chief.id))}
        other_roles = s.exec(select(RoleGrant).where(RoleGrant.user_id == non_quota.id)).all()
    assert {code: c.level for code, c in courts.items()} == {
        "辽": "high", "辽01": "intermediate", "辽04": "intermediate", "辽0102": "basic", "辽0402": "basic"}
    assert courts["辽0402"].path == f"/{courts['辽'].id}/{courts['辽04'].id}/{courts['辽0402'].id}/"
    assert (courts["辽"].name, courts["辽04"].name) == ("辽宁省高级人民法院", "辽宁省抚顺市中级人民法院")
    assert courts["辽0102"].name == "辽宁省沈阳市和平区人民法院"
    assert (chief.username, chief.password_hash, chief.title) == ("j0102003", "", "庭长")
    assert chief.is_quota_judge and chief.quota_since == date(2020, 4, 15)
    assert chief_roles == {"judge", "division_chief"}
    assert not non_quota.is_quota_judge and other_roles == []


def test_division_category_and_inferred_court_names():
    assert [division_category(n) for n in ("民事审判第一庭", "刑事审判庭", "行政审判庭", "执行局", "审判监督庭")] == [
        "civil", "criminal", "admin", "enforcement", "other"]
    assert inferred_name("粤", "") == "广东省高级人民法院"
    assert inferred_name("粤03", "广东省深圳市福田区人民法院") == "广东省深圳市中级人民法院"


def test_utf8_bom_and_gb18030_give_identical_cases(judged, tmp_path):
    other = fresh_db(tmp_path, "gb.db")
    assert import_judges(other, JUDGES).ok
    assert import_cases(judged, CASES).ok
    report = import_cases(other, CASES_GB)
    assert report.ok and report.rows_imported == 40
    assert cases_by_number(other) == cases_by_number(judged)
    other.dispose()


def test_the_bad_file_is_refused_naming_every_bad_row_and_nothing_is_stored(judged):
    report = import_cases(judged, CASES_BAD)
    assert not report.ok and report.rows_read == 8 and report.rows_imported == 0
    found = {(e.line, e.column, e.value) for e in report.errors}
    assert found == {
        (3, "立案日期", "2025-02-30"),            # impossible date
        (4, "程序代码", "civil-unknown"),          # unknown procedure
        (5, "案号", "（2025）辽01民终770号"),      # duplicate of line 2
        (6, "承办法官工号", "J999999"),            # unknown judge
        (7, "结案日期", "2019-01-01"),            # closed before filed
        (8, "当事人数", "两人"),                   # party count not a number
    }
    assert "line 2" in next(e.message for e in report.errors if e.line == 5)
    text = report.render()
    assert all(f"第 {n} 行 line {n}" in text for n in range(3, 9)) and "nothing was imported" in text
    assert count(judged, Case) == 0 and count(judged, TraceEntry) == 2  # the judges import, and this one refused


def test_importing_the_same_file_twice_refuses_the_second(judged):
    assert import_cases(judged, CASES).ok
    again = import_cases(judged, CASES)
    assert not again.ok and len(again.bad_lines) == 40
    assert {e.column for e in again.errors} == {"案号"}
    assert all("already in the database" in e.message for e in again.errors)
    assert count(judged, Case) == 40 and count(judged, TraceEntry) == 3  # the second refused, traced


def test_importing_the_judges_twice_refuses_the_second(judged):
    again = import_judges(judged, JUDGES)
    assert not again.ok and len(again.bad_lines) == 18
    assert count(judged, User) == 18 and count(judged, TraceEntry) == 2  # the second refused, traced


def test_an_xlsx_export_imports(judged, tmp_path):
    """Excel cells hold real dates and numbers; they read as the CSV text would."""
    book, rows = Workbook(), sample_rows()
    for row in rows[:1] + [[*r[:4], date.fromisoformat(r[4]), *r[5:9], int(r[9]), *r[10:]] for r in rows[1:]]:
        book.active.append(row)
    book.active.append([])  # a trailing empty row, as Excel often leaves
    book.save(tmp_path / "cases.xlsx")
    report = import_cases(judged, tmp_path / "cases.xlsx")
    assert report.ok, report.render()
    assert report.rows_imported == 40 and count(judged, Case) == 40


def test_a_missing_required_column_is_named(judged, tmp_path):
    rows = [[cell for i, cell in enumerate(r) if i != 7] for r in sample_rows()]  # drop 承办法官工号
    report = import_cases(judged, write_csv(tmp_path / "no_judge.csv", rows))
    assert [(e.line, e.column) for e in report.errors] == [(1, "承办法官工号")]
    assert "required column" in report.render() and count(judged, Case) == 0


def test_cases_before_judges_are_all_unknown_judge(db):
    report = import_cases(db, CASES)
    assert len(report.errors) == 40 and report.bad_lines == list(range(2, 42))
    assert {e.column for e in report.errors} == {"承办法官工号"}
    assert count(db, Case) == 0 and count(db, TraceEntry) == 1  # the refusal only


def test_a_dry_run_validates_and_writes_nothing(judged):
    report = import_cases(judged, CASES, dry_run=True)
    assert report.ok and report.rows_read == 40 and "dry run" in report.render()
    assert count(judged, Case) == 0 and count(judged, TraceEntry) == 1


@pytest.fixture
def cli_db(judged, monkeypatch):
    """The CLI on the test database; its schema is already made by the fixture."""
    monkeypatch.setattr(cli.importing, "get_database", lambda: judged)
    monkeypatch.setattr(cli.importing, "ensure_schema", lambda db: None)
    return judged


def test_cli_exit_codes_and_report(cli_db, capsys, tmp_path):
    assert import_command(["cases", str(CASES_BAD)]) == 1
    assert "第 8 行 line 8, 当事人数" in capsys.readouterr().out
    assert import_command(["cases", str(CASES)]) == 0
    assert "rows imported: 40" in capsys.readouterr().out
    assert import_command(["cases", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert import_command(["courts", str(CASES)]) == 2
    assert import_command(["cases"]) == 2
    (tmp_path / "junk.csv").write_bytes(b"\xff\xfe\x00" * 3)
    assert import_command(["cases", str(tmp_path / "junk.csv")]) == 2
    assert count(cli_db, Case) == 40
