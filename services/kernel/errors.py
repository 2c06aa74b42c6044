"""The errors a command raises; api/ maps them to 404, 409 and 422.

Each carries a message id of the catalogs (i18n/locale) and its parameters, never a finished sentence:
the reader's language is chosen where it is shown (the API by the caller's setting or Accept-Language,
a page by the session). `str(error)` is the English text, for logs and the trace.
"""
import i18n


class Spoken(Exception):
    """An error a person reads: `text(lang)` is its message in that language."""

    def __init__(self, message_id: str, **params):
        self.message_id = message_id
        self.params = params
        super().__init__(i18n.text(message_id, "en") % params)  # codes left as they are, for logs and scripts

    def text(self, lang: str | None = None) -> str:
        return i18n.gettext(self.message_id, lang, **self.params)


class NotFound(Spoken):
    """The subject does not exist, or lies outside the caller's grants (they look alike)."""


class Refused(Spoken):
    """A step the rules do not allow now: 409 with the reason and the events that are allowed."""

    def __init__(self, message_id: str, allowed_events: list[str] | None = None, **params):
        super().__init__(message_id, **params)
        self.allowed_events = allowed_events or []

    @property
    def reason(self) -> str:
        """The English text (the trace records it)."""
        return str(self)


class Conflict(Spoken):
    """Someone else changed the subject first (compare-and-set lost): 409, nothing written."""


class Invalid(Spoken):
    """Bad input: 422 naming the field. Nothing was changed."""

    def __init__(self, field: str, message_id: str, **params):
        super().__init__(message_id, **params)
        self.field = field

    @classmethod
    def from_pydantic(cls, error: dict, prefix: str = "") -> "Invalid":
        """Pydantic's first error as ours: `validation.<its type>` with its context (min_length, ge, …) as
        parameters; a type the catalogs do not name is `validation.invalid`, carrying pydantic's English."""
        field = ".".join([prefix] * bool(prefix) + [str(p) for p in error.get("loc", ())]) or "body"
        key = f"validation.{error.get('type', '')}"
        params = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
        if not i18n.has(key):
            key = "validation.invalid"
        return cls(field, key, msg=str(error.get("msg", "")), **params)

    @property
    def message(self) -> str:
        """The English text of what is wrong with the field."""
        return self.args[0]

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
