"""Importing with care: a dry run with --update lists what a re-import would change and writes nothing; the
re-import then updates the rows found by 工号 or 案号 instead of refusing them as clashes; traced."""
from sqlmodel import select

from services.importing import import_cases, import_judges
from store.models import Case, TraceEntry, User
from tests.factories import add_user, small_world
from tests.integration.test_import import CASES, JUDGES, count, sample_rows, write_csv


def _edited_judges(tmp_path):
    rows = sample_rows(JUDGES)
    rows[1][1] = "王建国（更名）"   # J0102001's name
    rows[2][6] = "2019-04-15"       # J0102002's 入额日期
    return write_csv(tmp_path / "judges.csv", rows)


def test_a_judges_dry_run_lists_what_would_change_and_the_update_applies_it(db, tmp_path):
    assert import_judges(db, JUDGES).ok
    edited = _edited_judges(tmp_path)
    clash = import_judges(db, edited)
    assert not clash.ok  # without --update a stored 工号 is still a clash
    dry = import_judges(db, edited, dry_run=True, update=True)
    assert dry.ok and [(c.key, c.column, str(c.before), str(c.after)) for c in dry.changes] == [
        ("J0102001", "姓名", "王建国", "王建国（更名）"), ("J0102002", "入额日期", "2019-03-15", "2019-04-15")]
    assert "would change: 2" in dry.render()
    with db.read() as s:
        assert s.exec(select(User.display_name).where(User.staff_no == "J0102001")).one() == "王建国"
    done = import_judges(db, edited, update=True)
    assert done.ok and done.counts["users_updated"] == 2 and done.rows_imported == 0
    with db.read() as s:
        assert s.exec(select(User.display_name).where(User.staff_no == "J0102001")).one() == "王建国（更名）"
        entry = s.exec(select(TraceEntry).where(TraceEntry.action == "import.judges")
                       .order_by(TraceEntry.seq.desc())).first()
        assert [c["column"] for c in entry.after["changes"]] == ["姓名", "入额日期"]
    assert count(db, User) == 18
    assert import_judges(db, edited, update=True, dry_run=True).changes == []  # the same file again: nothing


def test_the_sample_judges_update_a_court_whose_staff_numbers_they_share(db):
    """The demo's situation: a court already holds people with the sample file's staff numbers."""
    world = small_world(db)
    with db.write() as s:
        add_user(s, world, "wjg", "hp", ["judge"], "hp_civil", quota_judge=True, staff_no="J0102001")
    assert not import_judges(db, JUDGES).ok
    report = import_judges(db, JUDGES, update=True)
    assert report.ok and report.rows_imported == 17 and report.counts["users_updated"] == 1
    with db.read() as s:
        user = s.exec(select(User).where(User.staff_no == "J0102001")).one()
        assert (user.username, user.display_name) == ("wjg", "王建国")  # the same account, now named as exported


def test_a_cases_re_import_updates_by_case_number(db, tmp_path):
    assert import_judges(db, JUDGES).ok and import_cases(db, CASES).ok
    rows = sample_rows(CASES)
    rows[1][1] = "房屋租赁合同纠纷"
    edited = write_csv(tmp_path / "cases.csv", rows)
    dry = import_cases(db, edited, dry_run=True, update=True)
    assert dry.ok and [(c.key, c.column) for c in dry.changes] == [(rows[1][0], "案由")]
    done = import_cases(db, edited, update=True)
    assert done.ok and done.counts["cases_updated"] == 1 and count(db, Case) == 40
    with db.read() as s:
        assert s.exec(select(Case.cause).where(Case.case_number == rows[1][0])).one() == "房屋租赁合同纠纷"


def test_a_re_import_may_not_change_a_cases_state_it_is_refused_naming_the_row_and_traced(db, tmp_path):
    """The case machine moves a case's state (结案, 归档 …), traced on the case: an import never sets it."""
    assert import_judges(db, JUDGES).ok and import_cases(db, CASES).ok
    rows = sample_rows(CASES)
    header = rows[0]
    line = next(i for i, r in enumerate(rows) if r[header.index("案件状态")] == "审理中")
    number = rows[line][0]
    rows[line][header.index("案件状态")] = "已结"
    rows[line][header.index("结案日期")] = "2025-08-01"
    rows[line][header.index("结案方式")] = "判决"
    rows[1][1] = "房屋租赁合同纠纷"  # an ordinary field on another row: would be fine alone
    edited = write_csv(tmp_path / "cases.csv", rows)
    dry = import_cases(db, edited, dry_run=True, update=True)
    assert not dry.ok
    refused = {(e.line, e.column) for e in dry.errors}
    assert refused == {(line + 1, "案件状态"), (line + 1, "结案日期"), (line + 1, "结案方式")}  # file lines: header is 1
    text = dry.render()
    assert f"案号 {number} 的案件状态 “in_trial” → “closed”" in text and "导入不得直接修改" in text
    assert f"case {number}, 案件状态 “in_trial” → “closed”" in text
    done = import_cases(db, edited, update=True)
    assert not done.ok
    with db.read() as s:
        stored = s.exec(select(Case).where(Case.case_number == number)).one()
        assert (stored.state, stored.closed_on) == ("in_trial", None)  # nothing written: all or nothing
        assert s.exec(select(Case.cause).where(Case.case_number == rows[1][0])).one() != "房屋租赁合同纠纷"
        entry = s.exec(select(TraceEntry).where(TraceEntry.action == "refused:import.cases")).one()
    assert {(e["line"], e["column"]) for e in entry.after["errors"]} == refused
    rows[line][header.index("案件状态")], rows[line][header.index("结案日期")] = "审理中", ""
    rows[line][header.index("结案方式")] = ""
    again = import_cases(db, write_csv(tmp_path / "cases2.csv", rows), update=True)
    assert again.ok and again.counts["cases_updated"] == 1  # the stored state put back: the rest goes in


def test_a_re_import_may_not_change_a_cases_lead_judge_only_an_approved_reassignment_does(db, tmp_path):
    """分案 and then only an approved 变更承办法官 set a case's lead judge: a re-import naming another judge is
    refused, the whole file, in a dry run and when applied, naming the line, the 案号 and the change; traced."""
    assert import_judges(db, JUDGES).ok and import_cases(db, CASES).ok
    rows = sample_rows(CASES)
    header = rows[0]
    line = next(i for i, r in enumerate(rows) if r[header.index("承办法官工号")] == "J0102001")
    number = rows[line][0]
    rows[line][header.index("承办法官工号")], rows[line][header.index("承办法官")] = "J0102002", "李晓红"
    rows[1][1] = "房屋租赁合同纠纷"  # an ordinary field on another row: would be fine alone
    edited = write_csv(tmp_path / "cases.csv", rows)
    for dry_run in (True, False):
        report = import_cases(db, edited, dry_run=dry_run, update=True)
        assert not report.ok and [(e.line, e.column) for e in report.errors] == [(line + 1, "承办法官工号")]
        text = report.render()
        assert f"第 {line + 1} 行" in text
        assert f"案号 {number} 的承办法官工号 “王建国（J0102001）” → “李晓红（J0102002）”" in text
        assert "承办法官只能经批准的变更承办法官申请变更" in text and "approved reassignment request" in text
    with db.read() as s:
        stored = s.exec(select(Case).where(Case.case_number == number)).one()
        judge = s.exec(select(User.staff_no).where(User.id == stored.lead_judge_id)).one()
        assert judge == "J0102001"  # nothing written: all or nothing
        assert s.exec(select(Case.cause).where(Case.case_number == rows[1][0])).one() != "房屋租赁合同纠纷"
        entry = s.exec(select(TraceEntry).where(TraceEntry.action == "refused:import.cases")).one()  # the apply only
    assert [(e["line"], e["column"]) for e in entry.after["errors"]] == [(line + 1, "承办法官工号")]
    assert "王建国（J0102001）" in entry.after["errors"][0]["message"]
