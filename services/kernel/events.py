"""Past-tense events a lifecycle publishes so that higher ones react without being named.

Handlers run at once, inside the publishing command's session and transaction: one command,
one transaction still holds, and a handler's refusal rolls the whole command back.
"""
from services.kernel.registry import current


def publish(cmd, event) -> None:
    for handler in current().handlers.get(type(event), ()):
        handler(cmd, event)
