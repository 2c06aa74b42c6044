"""Administration: the court's people and organisation, policy overrides with their what-if, careful imports.

It stands with importing and demo above every lifecycle, because the what-if replays each lifecycle's
rules over the court's history; the lifecycles know nothing of it."""


def plug(registry) -> None:
    registry.add_lifecycle("admin")
