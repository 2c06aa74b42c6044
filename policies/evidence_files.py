"""Evidence files a judge may file (SPEC §6): allowed types, a size limit, and content that matches its label.

A file is accepted only when its extension is an allowed type, the declared content type is
that type's, it is neither empty nor over the limit, and its first bytes are those of the
type (PDF, PNG, JPEG) — or, for plain text, it decodes as UTF-8 without control bytes.
"""
import codecs
import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import i18n

MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


class EvidenceRefused(ValueError):
    """The file cannot be accepted: the message id (i18n catalogs) of why, in words a judge understands, and
    its parameters."""

    def __init__(self, message_id: str, **params):
        super().__init__(i18n.text(message_id, "en") % params)  # the English, for logs and tests
        self.message_id = message_id
        self.params = params


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
        raise EvidenceRefused("invalid.evidence.file_has_no_name")
    return name[:200]


class ContentSniff:
    """Whether content fed in chunks is of a type: the first bytes of a PDF, PNG or JPEG, or — for
    plain text — UTF-8 throughout without control bytes. Fed while a file streams in, so a file is
    judged without holding it in memory."""

    HEAD = 16

    def __init__(self, content_type: str):
        self.content_type, self.head, self.text_ok = content_type, b"", True
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < self.HEAD:
            self.head += chunk[:self.HEAD - len(self.head)]
        if self.content_type == "text/plain" and self.text_ok:
            self._text(chunk, final=False)

    def _text(self, chunk: bytes, final: bool) -> None:
        try:
            text = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.text_ok = False
            return
        if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
            self.text_ok = False

    def matches(self) -> bool:
        if self.content_type in MAGIC:
            return self.head.startswith(MAGIC[self.content_type])
        if self.content_type == "text/plain":
            if self.text_ok:
                self._text(b"", final=True)
            return self.text_ok
        return False


def expected_type(filename: str, content_type: str, types: dict[str, str]) -> tuple[str, str]:
    """The clean file name and the type its extension must have; refused before any byte is read."""
    name = clean_filename(filename)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in types:
        raise EvidenceRefused("invalid.evidence.files_type_are_not_accepted", ext=ext, value=', '.join('.' + t for t in types))
    expected = types[ext]
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared and declared not in (expected, "application/octet-stream"):
        raise EvidenceRefused("invalid.evidence.declared_as_but_file_must_be", name=name, declared=declared, ext=ext, expected=expected)
    return name, expected


def over_limit(name: str, size: int, max_bytes: int) -> EvidenceRefused:
    return EvidenceRefused("invalid.evidence.bytes_over_limit_bytes", name=name, size=size, max_bytes=max_bytes)


def check_content(name: str, expected: str, size: int, max_bytes: int, sniff: ContentSniff) -> None:
    """After the bytes: not empty, not over the limit, and content matching the label."""
    if not size:
        raise EvidenceRefused("invalid.evidence.empty", name=name)
    if size > max_bytes:
        raise over_limit(name, size, max_bytes)
    if not sniff.matches():
        raise EvidenceRefused("invalid.evidence.content_not_file_mislabelled", name=name, expected=expected)


def check_file(filename: str, content_type: str, data: bytes, types: dict[str, str], max_bytes: int) -> CheckedFile:
    """Accept the file or raise EvidenceRefused naming the problem."""
    name, expected = expected_type(filename, content_type, types)
    sniff = ContentSniff(expected)
    sniff.feed(data)
    check_content(name, expected, len(data), max_bytes, sniff)
    return CheckedFile(name, expected, len(data), hashlib.sha256(data).hexdigest())
