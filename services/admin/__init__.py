"""Administration: the court's people and organisation, policy overrides with their what-if, careful imports.

It stands with importing and demo above every lifecycle, because the what-if replays each lifecycle's
rules over the court's history; the lifecycles know nothing of it."""
from policies.passwords import PasswordPolicy


def plug(registry) -> None:
    """The password policy (a court may override it like any other) is administration's."""
    registry.add_lifecycle("admin")
    registry.add_policy("passwords", PasswordPolicy)
