"""Reading an export: CSV (UTF-8, UTF-8 with BOM, or GB18030) or Excel .xlsx, header row first.

Rows come out as (line_number, {header: text}) with line 1 the header, so a report can
point at the line a clerk sees in a text editor or at the row number in Excel. Every
cell is text, stripped; Excel dates and whole numbers are turned into the text a CSV
export would hold, so validation is the same for both formats.
"""
import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

Record = tuple[int, list[str]]
Row = tuple[int, dict[str, str]]
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class UnreadableFile(Exception):
    """The file cannot be read at all: missing, not CSV/xlsx, or in an unknown encoding."""


class MissingColumns(Exception):
    """The header row lacks columns the import requires."""

    def __init__(self, columns: list[str]):
        super().__init__("missing required columns: " + ", ".join(columns))
        self.columns = columns


@dataclass
class Table:
    name: str
    sha256: str
    headers: list[str]
    rows: Iterator[Row]


def read_table(path: Path | str, required: Iterable[str]) -> Table:
    """Open an export and check its header; the rows are read lazily."""
    path = Path(path)
    data = _read_bytes(path)
    records = _xlsx_records(data) if _is_xlsx(path, data) else _csv_records(decode(data))
    header = next((record for record in records if any(record[1])), None)
    if header is None:
        raise UnreadableFile(f"{path.name}: 文件为空 the file is empty (no header row)")
    headers = [h.lstrip("\ufeff").strip() for h in header[1]]
    missing = [c for c in required if c not in headers]
    if missing:
        raise MissingColumns(missing)
    return Table(path.name, hashlib.sha256(data).hexdigest(), headers, _as_dicts(headers, records))


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() == ".xls":
        raise UnreadableFile(f"{path.name}: 不支持旧版 .xls (Excel 97-2003) is not supported; "
                             "save it as .xlsx or CSV")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path}: 无法读取 cannot read the file: {exc.strerror or exc}") from None


def _is_xlsx(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES or data.startswith(b"PK\x03\x04")


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else GB18030.

    Strict UTF-8 first: GB18030 can decode almost any byte string, UTF-8 cannot, so a
    file that passes as UTF-8 is UTF-8 (Chinese text in GB18030 is never valid UTF-8).
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("编码无法识别 the file is neither UTF-8 nor GB18030 text")


def _csv_records(text: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as exc:
        raise UnreadableFile(f"CSV 格式错误 malformed CSV at line {reader.line_num}: {exc}") from None


def _xlsx_records(data: bytes) -> Iterator[Record]:
    """The first sheet's rows; line = the Excel row number."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(f"不是有效的 Excel 文件 not a valid .xlsx workbook: {exc}") from None
    try:
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    finally:
        book.close()


def cell_text(value) -> str:
    """An Excel cell as the text a CSV export would hold (dates as YYYY-MM-DD, 3.0 as 3)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_dicts(headers: list[str], records: Iterator[Record]) -> Iterator[Row]:
    """Rows keyed by header; blank rows (trailing lines, empty Excel rows) are skipped."""
    for line, cells in records:
        if any(cells):
            yield line, dict(zip(headers, cells + [""] * (len(headers) - len(cells))))
