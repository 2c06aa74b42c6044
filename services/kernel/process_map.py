"""The court process map (流程全景): for each lifecycle, how many subjects stand in each state of its machine, and
the list behind each count, over the reader's courts and only what the reader may open.

Who may open a subject is its kind's one rule, `SubjectKind.seen_by`, as on its page. A kind seen by anyone with a
role at its own court and division (no rule, no places of its own) is counted in SQL by that rule (Grant.covers as a
WHERE clause); any other kind — need to know (tasks, petitions, quota exits, ladder steps, score items, …), or one
seen from several places (an extension from the approving court) — is read row by row within the reader's courts
and each row is asked `seen_by`. A count and its list come from the same rows, so they cannot disagree.

A kind whose rows move with one of several machines (a quota exit: the due process or the request path) is one
lifecycle per machine.
"""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select, true

from services.kernel.access import court_path
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
        if _by_place(kind):
            rows = session.execute(select(kind.model.state, func.count()).where(_seen(actor, kind.model))
                                   .group_by(kind.model.state)).all()
            counts = {state: n for state, n in rows}
        else:
            counts = dict(Counter(row.state for row in _seen_rows(session, actor, kind, machine)))
        found.append(Lifecycle(name, steps(machine), counts, machine.__name__ if kind.variants else ""))
    return found


def subjects_in_state(session, actor: Actor, kind_name: str, state: str, variant: str = "", page: int = 1) -> Listed:
    """The subjects of `kind_name` in `state` the reader may open, oldest first, PAGE_SIZE to a page: the list
    behind the map's count (NotFound for a kind, machine or state the map does not have)."""
    kind, machine = _lifecycle(kind_name, variant)
    if state not in {s.id for s in machine.states}:
        raise NotFound("not_found.kernel.no_such_state", state=state)
    offset = (page - 1) * PAGE_SIZE
    if _by_place(kind):
        where = and_(_seen(actor, kind.model), kind.model.state == state)
        total = session.execute(select(func.count()).select_from(kind.model).where(where)).scalar_one()
        rows = session.execute(select(kind.model).where(where).order_by(kind.model.id)
                               .offset(offset).limit(PAGE_SIZE)).scalars().all()
        return Listed(total, list(rows))
    rows = _seen_rows(session, actor, kind, machine, state)
    return Listed(len(rows), rows[offset:offset + PAGE_SIZE])


def _lifecycle(kind_name: str, variant: str) -> tuple[SubjectKind, type]:
    for name, machine in mapped():
        kind = current().subjects[name]
        if name == kind_name and (not kind.variants or machine.__name__ == variant):
            return kind, machine
    raise NotFound("not_found.kernel.no_such_kind_subject", subject_kind=kind_name)


def _by_place(kind: SubjectKind) -> bool:
    """Whether the kind is seen by anyone with a role at its own court and division, which SQL can say."""
    return kind.sees is None and kind.scopes is None and not kind.variants


def _seen_rows(session, actor: Actor, kind: SubjectKind, machine: type, state: str | None = None) -> list:
    """The kind's rows of `machine` at the reader's courts (in `state` if given) that the reader may open, by id."""
    model = kind.model
    stmt = select(model).where(_at_courts(session, actor, model)).order_by(model.id)
    if state is not None:
        stmt = stmt.where(model.state == state)
    path = lambda court_id: court_path(session, court_id)  # noqa: E731
    return [row for row in session.execute(stmt).scalars()
            if kind.machine_class(row) is machine
            and kind.seen_by(session, actor, row, path)]


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


def _seen(actor: Actor, model):
    """The rows at a place one of the actor's grants covers (as Grant.covers, in SQL)."""
    if actor.is_system:
        return true()
    clauses = []
    for g in actor.grants:
        here = model.court_id == g.court_id
        if g.division_id is not None:
            here = and_(here, model.division_id == g.division_id)
        if g.include_subtree:
            here = or_(here, model.court_id.in_(select(Court.id).where(Court.path.startswith(g.court_path))))
        clauses.append(here)
    return or_(*clauses) if clauses else false()
