"""Where a subject stands in its process: its machine's states with the path taken and the current state marked
(every subject page), and the court process map (流程全景): live counts per state of each lifecycle.

Both are drawn from the machines themselves (statemachines/diagrams.steps), as an ordered list of steps: a
screen reader reads it in order, `aria-current="step"` says where the subject is, the catalogs name each state.
"""
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DbDep
from api.pages.common import page_actor, render
from services.kernel.process_map import process_map
from services.kernel.registry import subject_kind
from statemachines.diagrams import Step, path_taken, steps

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)
LISTED = {"cases": "/cases?state={}"}  # kinds whose list page filters by state: a count links there


@dataclass(frozen=True)
class Picture:
    kind: str
    steps: list[Step]
    current: str
    passed: set[str]


def picture(kind_name: str, row_state: str, timeline, row=None) -> Picture:
    """The subject's machine with the states its timeline passed through (oldest first) and where it is now."""
    kind = subject_kind(kind_name)
    machine = type(kind.machine(model=row, state_field="state")) if kind.variants and row is not None else kind.machine
    events = [e.action.partition(".")[2] for e in reversed(timeline)
              if e.action.startswith(f"{kind_name}.")]
    passed = set(path_taken(machine, events)) - {row_state}
    return Picture(kind_name, steps(machine), row_state, passed)


@router.get("/process")
def process_map_page(request: Request, db: DbDep):
    """流程全景: each lifecycle's states with how many subjects stand in each, where the reader sees."""
    actor = page_actor(request)
    with db.read() as session:
        lifecycles = process_map(session, actor)
    return render(request, "process_map.html", actor, lifecycles=lifecycles, listed=LISTED)
