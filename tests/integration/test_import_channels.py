"""`import judges` with the optional email / channel columns: personnel set where notices go."""
import csv
from pathlib import Path

from sqlmodel import select

from services.importing import import_judges
from store.models import Channel, User

HEADER = ["工号", "姓名", "法院", "法院代字", "部门", "员额法官", "入额日期", "职务", "email", "channel"]
COURT = ["辽宁省沈阳市和平区人民法院", "辽0102", "民事审判第一庭", "是", "2018-02-15", "审判员"]
HOOK_TOKEN = "hook-secret-0123456789"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def channels_by_staff_no(db) -> dict[str, list[tuple[str, str]]]:
    with db.read() as s:
        rows = s.exec(select(User.staff_no, Channel.kind, Channel.target).join(Channel, Channel.user_id == User.id)
                      .order_by(User.staff_no, Channel.id)).all()
    found: dict[str, list[tuple[str, str]]] = {}
    for staff_no, kind, target in rows:
        found.setdefault(staff_no, []).append((kind, target))
    return found


def test_email_and_channel_columns_give_the_imported_judges_their_channels(any_db, tmp_path):
    dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"
    path = write_csv(tmp_path / "judges.csv", [
        ["J001", "王建国", *COURT, "wangjg@court.cn", dingtalk],
        ["J002", "李晓红", *COURT, "", f"https://hooks.court.cn/n?token={HOOK_TOKEN}"],
        ["J003", "张伟", *COURT, "", ""],
    ])

    report = import_judges(any_db, path)

    assert report.ok, report.render()
    assert report.counts["channels"] == 3
    assert channels_by_staff_no(any_db) == {
        "J001": [("email", "wangjg@court.cn"), ("dingtalk", dingtalk)],
        "J002": [("webhook", f"https://hooks.court.cn/n?token={HOOK_TOKEN}")],
    }


def test_an_unusable_channel_refuses_the_file_naming_line_and_column_without_its_secret(any_db, tmp_path):
    path = write_csv(tmp_path / "judges.csv", [
        ["J001", "王建国", *COURT, "not-an-address", ""],
        ["J002", "李晓红", *COURT, "", f"ftp://files.court.cn/{HOOK_TOKEN}"],
        ["J003", "张伟", *COURT, "zhangw@court.cn", ""],
    ])

    report = import_judges(any_db, path)

    assert not report.ok and report.rows_imported == 0
    assert [(e.line, e.column) for e in report.errors] == [(2, "email"), (3, "channel")]
    assert "通知渠道不可用" in report.errors[0].message
    assert HOOK_TOKEN not in report.render()
    with any_db.read() as s:
        assert s.exec(select(User)).all() == [] and s.exec(select(Channel)).all() == []
