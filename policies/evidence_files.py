"""Evidence files a judge may file (SPEC §6): allowed types, a size limit, and content that matches its label.

A file is accepted only when its extension is an allowed type, the declared content type is
that type's, it is neither empty nor over the limit, and its first bytes are those of the
type (PDF, PNG, JPEG) — or, for plain text, it decodes as UTF-8 without control bytes.
"""
import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


class EvidenceRefused(ValueError):
    """The file cannot be accepted; the message says why in words a judge understands."""


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    sha256: str


def clean_filename(filename: str) -> str:
    """The last path component, without directories a browser or a client may send."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    if not name or name in (".", ".."):
        raise EvidenceRefused("the file has no name")
    return name[:200]


def _looks_like(content_type: str, data: bytes) -> bool:
    if content_type in MAGIC:
        return data.startswith(MAGIC[content_type])
    if content_type == "text/plain":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return not any(ord(c) < 32 and c not in "\t\r\n\f" for c in text)
    return False


def check_file(filename: str, content_type: str, data: bytes, types: dict[str, str], max_bytes: int) -> CheckedFile:
    """Accept the file or raise EvidenceRefused naming the problem."""
    name = clean_filename(filename)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in types:
        raise EvidenceRefused(f"files of type '.{ext}' are not accepted (allowed: "
                              f"{', '.join('.' + t for t in types)})")
    expected = types[ext]
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared and declared not in (expected, "application/octet-stream"):
        raise EvidenceRefused(f"'{name}' is declared as {declared} but a .{ext} file must be {expected}")
    if not data:
        raise EvidenceRefused(f"'{name}' is empty")
    if len(data) > max_bytes:
        raise EvidenceRefused(f"'{name}' is {len(data)} bytes, over the limit of {max_bytes} bytes")
    if not _looks_like(expected, data):
        raise EvidenceRefused(f"the content of '{name}' is not {expected}: the file is mislabelled")
    return CheckedFile(name, expected, len(data), hashlib.sha256(data).hexdigest())
