"""The errors a command raises; api/ maps them to 404, 409 and 422."""


class NotFound(Exception):
    """The subject does not exist, or lies outside the caller's grants (they look alike)."""


class Refused(Exception):
    """A step the rules do not allow now: 409 with the reason and the events that are allowed."""

    def __init__(self, reason: str, allowed_events: list[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.allowed_events = allowed_events or []


class Forbidden(Exception):
    """The actor sees the place but holds no role that may do this there: 403, nothing written."""


class Conflict(Exception):
    """Someone else changed the subject first (compare-and-set lost): 409, nothing written."""


class Invalid(Exception):
    """Bad input: 422 naming the field. Nothing was changed."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
