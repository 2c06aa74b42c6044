"""The court process map (流程全景): for each lifecycle, how many subjects stand in each state of its machine,
counted over the places the reader sees. Kinds seen on a need-to-know basis (a subject kind with its own `sees`:
tasks, petitions, quota exits, ladder steps, …) are left out: a count would tell what the reader may not read."""
from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select

from services.kernel.actor import Actor
from services.kernel.registry import current
from statemachines.diagrams import Step, steps
from store.models import Court


@dataclass(frozen=True)
class Lifecycle:
    kind: str
    steps: list[Step]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def mapped_kinds() -> list[str]:
    """The subject kinds the map counts, in the registry's order."""
    return [name for name, kind in current().subjects.items() if kind.sees is None and not kind.variants]


def process_map(session, actor: Actor) -> list[Lifecycle]:
    """Each mapped kind's states (in its machine's order) with the number of visible subjects in each."""
    found = []
    for name in mapped_kinds():
        kind = current().subjects[name]
        where = _seen(actor, kind.model)
        rows = session.execute(select(kind.model.state, func.count()).where(where).group_by(kind.model.state)).all()
        found.append(Lifecycle(name, steps(kind.machine), {state: n for state, n in rows}))
    return found


def _seen(actor: Actor, model):
    """The rows at a place one of the actor's grants covers (as Grant.covers, in SQL)."""
    if actor.is_system:
        return True
    clauses = []
    for g in actor.grants:
        here = model.court_id == g.court_id
        if g.division_id is not None:
            here = and_(here, model.division_id == g.division_id)
        if g.include_subtree:
            here = or_(here, model.court_id.in_(select(Court.id).where(Court.path.startswith(g.court_path))))
        clauses.append(here)
    return or_(*clauses) if clauses else false()
