"""What every machine shares: the refusal a person must see when a rule says no."""
import i18n


class Refusal(ValueError):
    """Raised by a validator: the message id (i18n catalogs) of the reason the step is not allowed, and its
    parameters; the engine raises it on as the service's `Refused`."""

    def __init__(self, message_id: str, **params):
        super().__init__(i18n.text(message_id, "en") % params)  # the English, for logs and tests
        self.message_id = message_id
        self.params = params
