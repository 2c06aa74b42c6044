"""The one registry the composition root (services/bootstrap.py) fills: what each lifecycle plugs in.

Nothing is registered by importing a module. `bootstrap.build_registry()` asks each lifecycle's
`plug(registry)` in the dependency order and installs the result; the engine, the daily monitor
and the event bus read the installed registry. A test may build one that holds only what it needs.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from services.kernel.errors import NotFound
from services.kernel.subjects import SubjectKind

Sweep = Callable[..., int]
"""A lifecycle's daily sweep: `sweep(session, as_of, now) -> rows added`, idempotent for a day."""
PolicySweep = Callable[..., None]
"""A sweep run once per group of courts sharing a monitoring policy: `(session, result, policy, as_of, now, courts)`."""
Gate = Callable[..., dict]
"""Facts a higher lifecycle puts on a lower one's event: `gate(session, row) -> facts for the machine's validators`."""
ChaseEffect = Callable[..., None]
"""What a lifecycle does besides the notices when the chase takes one of its tasks up a level:
`effect(session, tasks, level, as_of, now)`, `tasks` the (task id, subject id, due date) rows escalated."""
Unseen = Callable[[], object]
"""A subject kind's person never told about its tasks by role (e.g. the person a petition names): `unseen()` gives
an SQL expression of that user id, correlated to `Task`."""
Handler = Callable[..., None]
"""A subscriber to a past-tense event: `handler(cmd, event)`, run inside the publishing command's transaction."""


@dataclass(frozen=True)
class Sealed:
    """A table whose rows are written once, each with a trace entry (`action`, subject `kind`/id) holding the row
    as written: `courtflow trace verify` holds every row against its entry (services/kernel/sealed.py)."""
    kind: str
    model: type
    action: str


@dataclass
class Registry:
    lifecycles: list[str] = field(default_factory=list)
    subjects: dict[str, SubjectKind] = field(default_factory=dict)
    sweeps: dict[str, Sweep] = field(default_factory=dict)
    policy_sweeps: list[PolicySweep] = field(default_factory=list)
    gates: dict[str, list[Gate]] = field(default_factory=dict)
    handlers: dict[type, list[Handler]] = field(default_factory=dict)
    policy_schemas: dict[str, type[BaseModel]] = field(default_factory=dict)
    notice_dirs: list[str] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)
    policy_owners: dict[str, str] = field(default_factory=dict)
    sealed: list[Sealed] = field(default_factory=list)
    chase_effects: dict[str, ChaseEffect] = field(default_factory=dict)
    unseen: dict[str, Unseen] = field(default_factory=dict)

    def add_lifecycle(self, name: str) -> None:
        self.lifecycles.append(name)

    def add_subject(self, kind: SubjectKind) -> SubjectKind:
        if kind.name in self.subjects:
            raise ValueError(f"subject kind {kind.name!r} plugged in twice")
        self.subjects[kind.name] = kind
        self.owners[kind.name] = self.lifecycles[-1] if self.lifecycles else "kernel"
        return kind

    def add_policy(self, name: str, schema: type[BaseModel]) -> None:
        """The policy file `policies/defaults/<name>.yaml` and the schema it is validated with."""
        if name in self.policy_schemas:
            raise ValueError(f"policy {name!r} plugged in twice")
        self.policy_schemas[name] = schema
        self.policy_owners[name] = self.lifecycles[-1] if self.lifecycles else "kernel"

    def add_notice_dir(self, name: str) -> None:
        """The lifecycle's message templates, `notifications/templates/<name>/`."""
        self.notice_dirs.append(name)

    def add_sealed(self, sealed: Sealed) -> None:
        self.sealed.append(sealed)

    def add_sweep(self, name: str, sweep: Sweep) -> None:
        self.sweeps[name] = sweep

    def add_policy_sweep(self, sweep: PolicySweep) -> None:
        self.policy_sweeps.append(sweep)

    def add_chase_effect(self, task_kind: str, effect: ChaseEffect) -> None:
        """A lifecycle effect of the chase escalating a task of `task_kind` (a trace entry, a state change)."""
        self.chase_effects[task_kind] = effect

    def add_unseen(self, subject_kind: str, unseen: Unseen) -> None:
        """Who the chase's notices by role about tasks of `subject_kind` never reach."""
        self.unseen[subject_kind] = unseen

    def add_gate(self, event: str, gate: Gate) -> None:
        """`event` is `kind.event`, e.g. `cases.decide`: the lower lifecycle asks for it by that name."""
        self.gates.setdefault(event, []).append(gate)

    def subscribe(self, event_type: type, handler: Handler) -> None:
        self.handlers.setdefault(event_type, []).append(handler)

    def subject_kind(self, name: str) -> SubjectKind:
        if name not in self.subjects:
            raise NotFound("not_found.kernel.no_such_kind_subject", subject_kind=name)
        return self.subjects[name]

    def gate_facts(self, event: str, session, row) -> dict:
        facts: dict = {}
        for gate in self.gates.get(event, ()):
            facts.update(gate(session, row))
        return facts


def subject_kind(name: str) -> SubjectKind:
    """The kind plugged into the installed registry under `name` (NotFound otherwise)."""
    return current().subject_kind(name)


_installed: list[Registry] = []


def install(registry: Registry) -> Registry:
    """Make `registry` the one the engine reads (the composition root calls this once per process)."""
    _installed[:] = [registry]
    return registry


def current() -> Registry:
    if not _installed:
        raise RuntimeError("no registry installed: call services.bootstrap.build_registry() at start-up")
    return _installed[0]
