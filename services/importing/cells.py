"""Checking one row's cells: each check records its own error in the report and returns None."""
import re
from datetime import date

from services.importing.report import ImportReport

_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_WHOLE = re.compile(r"\+?\d+")


class BadValue(ValueError):
    """A cell that is not what its column requires; the message is the report's wording."""


def parse_day(text: str) -> date:
    """YYYY-MM-DD, also YYYY/M/D and YYYY年M月D日 as exports write them; the day must exist."""
    match = _DAY.fullmatch(text)
    if not match:
        raise BadValue("不是日期 not a date (expected YYYY-MM-DD)")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise BadValue("日期不存在 no such day on the calendar") from None


def parse_whole(text: str, minimum: int = 1) -> int:
    if not _WHOLE.fullmatch(text):
        raise BadValue("不是整数 not a whole number")
    value = int(text)
    if value < minimum:
        raise BadValue(f"应不小于 {minimum} must be at least {minimum}")
    return value


class RowCheck:
    """The checks of one row, writing their errors against its line number."""

    def __init__(self, report: ImportReport, line: int, row: dict[str, str]):
        self.report, self.line, self.row = report, line, row
        self.failed = False

    def error(self, column: str, message: str, value: str | None = None) -> None:
        self.failed = True
        self.report.add(self.line, column, self.row.get(column, "") if value is None else value, message)

    def text(self, column: str, required: bool = True) -> str | None:
        value = self.row.get(column, "")
        if required and not value:
            self.error(column, "不能为空 must not be empty")
            return None
        return value

    def parsed(self, column: str, parse, required: bool = True):
        """The cell through `parse` (which raises BadValue); None when empty or bad."""
        value = self.text(column, required)
        if not value:
            return None
        try:
            return parse(value)
        except BadValue as exc:
            self.error(column, str(exc))
            return None

    def choice(self, column: str, choices: dict):
        value = self.text(column)
        if value is None:
            return None
        if value not in choices:
            self.error(column, "应为 must be one of: " + " / ".join(choices))
            return None
        return choices[value]
