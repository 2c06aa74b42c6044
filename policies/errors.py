"""Errors raised by policy loading and lookups."""


class PolicyError(Exception):
    """A policy file is missing, unreadable or invalid; the message names file and key."""


class UnknownProcedure(LookupError):
    """A procedure code that the time-limit policy does not define."""

    def __init__(self, code: str):
        super().__init__(f"unknown procedure code {code!r}")
        self.code = code


class UnknownVariant(LookupError):
    """A variant key that a procedure does not define."""

    def __init__(self, code: str, variant: str, known: list[str]):
        known_text = ", ".join(known) if known else "none"
        super().__init__(
            f"procedure {code!r} has no variant {variant!r} (known: {known_text})"
        )
        self.code, self.variant, self.known = code, variant, known
