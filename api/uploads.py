"""Streaming a multipart evidence upload: nothing is read before the caller is authorized, the file goes
to a staging file chunk by chunk (size limit enforced while reading, SHA-256 computed on the way), and
its name and type are checked as soon as its part headers arrive — before its first byte."""
from dataclasses import dataclass, field

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from policies.evidence_files import ContentSniff, EvidenceRefused, check_content, expected_type
from services.kernel.errors import Invalid
from store import evidence

FIELD_LIMIT = 8 * 1024  # bytes of a plain form field (description, expected_version)
OVERHEAD = 64 * 1024  # multipart boundaries, part headers and the plain fields around the file


@dataclass
class _Part:
    headers: dict[str, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)


class EvidenceForm:
    """Parses one multipart body: the `file` part streamed through a Receiver, other parts as text."""

    def __init__(self, rules, owner: tuple):
        self.rules, self.owner, self.fields = rules, owner, {}
        self.part, self.header, self.receiver, self.sniff, self.checked = _Part(), [b"", b""], None, None, None
        self.around_file = 0  # bytes of headers and plain fields: bounded, however the body is sent

    def callbacks(self) -> dict:
        return {"on_part_begin": self._begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done, "on_part_data": self._data, "on_part_end": self._end}

    def _begin(self):
        self.part, self.header = _Part(), [b"", b""]

    def _header_field(self, data, start, end):
        self.header[0] += self._counted(data[start:end])

    def _header_value(self, data, start, end):
        self.header[1] += self._counted(data[start:end])

    def _counted(self, chunk: bytes) -> bytes:
        self.around_file += len(chunk)
        if self.around_file > OVERHEAD:
            raise Invalid("body", "invalid.api.more_than_bytes_part_headers_form", OVERHEAD=OVERHEAD)
        return chunk

    def _header_end(self):
        self.part.headers[self.header[0].decode("latin-1").lower()] = self.header[1]
        self.header = [b"", b""]

    def _headers_done(self):
        _, params = parse_options_header(self.part.headers.get("content-disposition", b""))
        self.part.name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        self.part.filename = filename.decode("utf-8", "replace") if filename is not None else None
        if self.part.name == "file":
            if self.receiver is not None:
                raise Invalid("body.file", "invalid.api.one_file_per_upload")
            declared = self.part.headers.get("content-type", b"").decode("latin-1")
            # EvidenceRefused here, before any byte of the file is read
            self.checked = expected_type(self.part.filename or "", declared, self.rules.types)
            self.sniff = ContentSniff(self.checked[1])
            self.receiver = evidence.Receiver(self.rules.max_bytes)

    def _data(self, data, start, end):
        chunk = data[start:end]
        if self.part.name == "file":
            self.receiver.write(chunk)  # UploadTooLarge as soon as the limit is passed
            self.sniff.feed(chunk)
        elif len(self.part.value) + len(chunk) > FIELD_LIMIT:
            raise Invalid(f"body.{self.part.name}", "invalid.api.over_bytes", FIELD_LIMIT=FIELD_LIMIT)
        else:
            self.part.value += self._counted(chunk)

    def _end(self):
        if self.part.name != "file":
            self.fields[self.part.name] = self.part.value.decode("utf-8", "replace")

    def held(self) -> str:
        """Check the whole file (empty, mislabelled) and hold it for the command; returns its token."""
        if self.receiver is None:
            raise Invalid("body.file", "invalid.api.no_file_upload")
        name, expected = self.checked
        received = self.receiver.finish(self.owner, name, expected)
        try:
            check_content(name, expected, received.size, self.rules.max_bytes, self.sniff)
        except EvidenceRefused:
            self.receiver.discard()
            raise
        return evidence.hold(received)

    def discard(self) -> None:
        if self.receiver is not None:
            self.receiver.discard()


async def read_evidence_form(request: Request, rules, owner: tuple) -> tuple[str, dict]:
    """(token of the held file, the plain fields); raises UploadTooLarge (413), Invalid (422) or
    EvidenceRefused (422) — each as early in the stream as it can be known."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > rules.max_bytes + OVERHEAD:
        raise evidence.UploadTooLarge(rules.max_bytes)  # refused on its headers: not a byte read
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise Invalid("body", "invalid.api.send_file_as_multipart_form_data")
    form = EvidenceForm(rules, owner)
    parser = MultipartParser(params[b"boundary"], form.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        return form.held(), form.fields
    except MultipartParseError as exc:
        form.discard()
        raise Invalid("body", "invalid.api.malformed_multipart_body", exc=exc) from exc
    except BaseException:
        form.discard()
        raise

