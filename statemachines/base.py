"""What every machine shares: the refusal a person must see when a rule says no."""


class Refusal(ValueError):
    """Raised by a validator with the reason the step is not allowed."""
