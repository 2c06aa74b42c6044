"""The subjects that people act on through one shape: state, allowed events, transitions.

Each lifecycle registers a SubjectKind: its table, its state machine, and for each event
who may fire it, the payload it takes and the effects the service applies after the
machine has moved. The machine says what can happen; the roles say who.
"""
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """What a person fills in for an event or a command: a field the form does not have is refused
    (422 naming it), never silently dropped. Every payload derives from this one base."""
    model_config = ConfigDict(extra="forbid")


class NoPayload(Payload):
    """An event that takes nothing."""


@dataclass(frozen=True)
class EventSpec:
    """An event of a kind; the button that fires it reads the catalog's `event.<kind>.<name>`."""
    name: str
    roles: frozenset[str]
    payload: type[BaseModel] = NoPayload
    may: Callable[..., str | None] | None = None
    apply: Callable[..., None] | None = None
    facts: Callable[..., dict] | None = None
    # (session, row, court day) -> {field: [(value, words)]}: what a field may be set to that day, by the words a
    # person picks it by (eligible judges by name, not by id); the form offers these and nothing else.
    choices: Callable[..., dict[str, list[tuple[Any, str]]]] | None = None


@dataclass
class SubjectKind:
    name: str
    model: Any
    machine: Any
    events: dict[str, EventSpec]
    public: Callable[[Any], dict]
    title: Callable[[Any], str] = lambda row: f"#{row.id}"  # the catalog's `kind.<name>` says what it is
    scopes: Callable[[Any], list[tuple[int, int | None]]] | None = None
    sees: Callable[..., bool] | None = None  # (session, actor, row) -> bool, replacing "any role at its places"
    variants: tuple = ()  # when `machine` picks one of several machine classes by the row: those classes
    # (session, actor) -> SQL clause on `model`: the rows `seen_by` accepts, the same rule for many rows at once (the
    # process map); required with `sees` or `scopes`, tests/integration/test_seen_where.py holds the two together
    sees_where: Callable[..., Any] | None = None
    # with `variants`: machine class -> SQL clause on `model`, the rows `machine` picks that class for
    variant_where: Callable[[type], Any] | None = None

    def __post_init__(self):
        if (self.sees or self.scopes) and self.sees_where is None:
            raise TypeError(f"{self.name}: a kind with its own sees or scopes says them in SQL too (sees_where)")
        if self.variants and self.variant_where is None:
            raise TypeError(f"{self.name}: a kind with variants says in SQL which rows each takes (variant_where)")

    @property
    def machine_classes(self) -> tuple:
        """Every machine class a row of this kind may move with (the powers list reads their events)."""
        return self.variants or (self.machine,)

    def machine_class(self, row) -> type:
        """The machine class this row moves with: `machine`, or the variant it picks for the row."""
        return self.machine(row) if self.variants else self.machine

    def places(self, row) -> list[tuple[int, int | None]]:
        """(court, division) pairs where roles count for this subject; by default its own."""
        return self.scopes(row) if self.scopes else [(row.court_id, row.division_id)]

    def seen_where(self, session, actor):
        """`seen_by` as a SQL clause on the kind's table: by default, any role at its own court and division."""
        if self.sees_where:
            return self.sees_where(session, actor)
        return actor.covering(self.model.court_id, self.model.division_id)

    def seen_by(self, session, actor, row, court_path: Callable[[int], str]) -> bool:
        """Whether the actor may see the subject: by default anyone with a role at one of its places."""
        if self.sees:
            return self.sees(session, actor, row)
        return any(actor.can_see(c, court_path(c), d) for c, d in self.places(row))
