"""The house's own running, seen by those who keep it: flow health and dead letters."""


def plug(registry) -> None:
    registry.add_lifecycle("operations")
