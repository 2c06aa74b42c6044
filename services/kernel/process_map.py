"""The court process map (流程全景): for each lifecycle, how many subjects stand in each state of its machine, and
the list behind each count, over the reader's courts and only what the reader may open.

Who may open a subject is its kind's one rule, `SubjectKind.seen_by`, as on its page; the map reads it in its SQL
form, `SubjectKind.seen_where` (each kind says its rule both ways, tests/integration/test_seen_where.py holds them
together), so a count is one GROUP BY and its list one page of the same WHERE: they cannot disagree. Need to know
(tasks, petitions, quota exits, ladder steps, score items, interference reports) and kinds seen from several places
(an extension from the approving court) are counted so too, no row read into Python.

A kind whose rows move with one of several machines (a quota exit: the due process or the request path) is one
lifecycle per machine, its rows told apart in SQL by `SubjectKind.variant_where`.
"""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select, true

from services.kernel.actor import Actor
from services.kernel.errors import NotFound
from services.kernel.registry import current
from services.kernel.subjects import SubjectKind
from statemachines.diagrams import Step, steps
from store.models import Court

PAGE_SIZE = 100


@dataclass(frozen=True)
class Lifecycle:
    kind: str
    steps: list[Step]
    counts: dict[str, int]
    variant: str = ""  # the machine's name, for a kind with several

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Listed:
    """The subjects of one state on one page of the list, and how many there are in all."""
    total: int
    rows: list


def mapped() -> list[tuple[str, type]]:
    """(kind, machine) of every lifecycle on the map, in the registry's order."""
    return [(name, machine) for name, kind in current().subjects.items() for machine in kind.machine_classes]


def process_map(session, actor: Actor) -> list[Lifecycle]:
    """Each lifecycle's states (in its machine's order) with the number of subjects the reader may open in each."""
    found = []
    for name, machine in mapped():
        kind = current().subjects[name]
        counts = Counter()
        for state, n in session.execute(select(kind.model.state, func.count())
                                        .where(_opened(session, actor, kind, machine)).group_by(*_grouping(kind.model))):
            counts[state] += n
        found.append(Lifecycle(name, steps(machine), dict(counts), machine.__name__ if kind.variants else ""))
    return found


def subjects_in_state(session, actor: Actor, kind_name: str, state: str, variant: str = "", page: int = 1) -> Listed:
    """The subjects of `kind_name` in `state` the reader may open, oldest first, PAGE_SIZE to a page: the list
    behind the map's count (NotFound for a kind, machine or state the map does not have)."""
    kind, machine = _lifecycle(kind_name, variant)
    if state not in {s.id for s in machine.states}:
        raise NotFound("not_found.kernel.no_such_state", state=state)
    where = and_(_opened(session, actor, kind, machine), kind.model.state == state)
    total = session.execute(select(func.count()).select_from(kind.model).where(where)).scalar_one()
    rows = session.execute(select(kind.model).where(where).order_by(kind.model.id)
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).scalars().all()
    return Listed(total, list(rows))


def _lifecycle(kind_name: str, variant: str) -> tuple[SubjectKind, type]:
    for name, machine in mapped():
        kind = current().subjects[name]
        if name == kind_name and (not kind.variants or machine.__name__ == variant):
            return kind, machine
    raise NotFound("not_found.kernel.no_such_kind_subject", subject_kind=kind_name)


def _opened(session, actor: Actor, kind: SubjectKind, machine: type):
    """The kind's rows of `machine` at the reader's courts that the reader may open, as a SQL clause (a kind seen by
    its own place is at the reader's courts by that rule already: SQLite would check every row twice)."""
    at_courts = _at_courts(session, actor, kind.model) if kind.sees_where else true()
    return and_(at_courts, kind.seen_where(session, actor), kind.variant_where(machine) if kind.variants else true())


def _grouping(model) -> tuple:
    """By state; court by court first where an index leads with (court_id, state): SQLite then walks the index in
    its order, where grouping by state alone sorts every row again (1.2M cases, the high court's trial office:
    0.2 s against 0.6 s CPU); on a table without one, grouping by court too only makes the sort larger."""
    led = any([c.name for c in index.columns][:2] == ["court_id", "state"] for index in model.__table__.indexes)
    return (model.court_id, model.state) if led else (model.state,)


def _at_courts(session, actor: Actor, model):
    """Rows naming one of the reader's courts (its own court, or one it is approved or reviewed at): the courts of
    the reader's grants, with the courts below for a grant that reaches down."""
    if actor.is_system:
        return true()
    courts = {g.court_id for g in actor.grants}
    paths = [g.court_path for g in actor.grants if g.include_subtree]
    if paths:
        courts |= set(session.execute(select(Court.id).where(or_(*[Court.path.startswith(p) for p in paths])))
                      .scalars())
    columns = [c for c in model.__table__.columns if c.name == "court_id" or c.name.endswith("_court_id")]
    return or_(*[c.in_(sorted(courts)) for c in columns]) if courts else false()
