"""Where a subject stands in its process: its machine's states with the path taken and the current state marked
(every subject page), and the court process map (流程全景): live counts per state of each lifecycle, each count
opening the list of those subjects (services/kernel/process_map.py says who is counted).

Both are drawn from the machines themselves (statemachines/diagrams.steps), as an ordered list of steps: a
screen reader reads it in order, `aria-current="step"` says where the subject is, the catalogs name each state.
"""
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from api.deps import DbDep
from api.pages.common import page_actor, render
from api.params import Kind
from services.kernel.process_map import PAGE_SIZE, process_map, subjects_in_state
from services.kernel.registry import subject_kind
from store.models import Case, Court
from statemachines.diagrams import Step, path_taken, steps

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)
State = Annotated[str, Path(max_length=40, description="a state of the kind's machine")]
LISTED = {"cases": "/cases?state={}"}  # kinds with a list page of their own filtering by state: a count links there


@dataclass(frozen=True)
class Entry:
    href: str
    title: str
    case_number: str
    court: str


@dataclass(frozen=True)
class Picture:
    kind: str
    steps: list[Step]
    current: str
    passed: set[str]


def picture(kind_name: str, row_state: str, timeline, row=None) -> Picture:
    """The subject's machine with the states its timeline passed through (oldest first) and where it is now."""
    kind = subject_kind(kind_name)
    machine = kind.machine_class(row) if row is not None else kind.machine
    events = [e.action.partition(".")[2] for e in reversed(timeline)
              if e.action.startswith(f"{kind_name}.")]
    passed = set(path_taken(machine, events)) - {row_state}
    return Picture(kind_name, steps(machine), row_state, passed)


@router.get("/process")
def process_map_page(request: Request, db: DbDep):
    """流程全景: each lifecycle's states with how many subjects stand in each, where the reader sees; each count
    opens the list of those subjects."""
    actor = page_actor(request)
    with db.read() as session:
        lifecycles = process_map(session, actor)
    return render(request, "process_map.html", actor, lifecycles=lifecycles, listed=LISTED)


@router.get("/process/{kind_name}/{state}")
def process_list_page(request: Request, kind_name: Kind, state: State, db: DbDep,
                      variant: Annotated[str, Query(max_length=60)] = "",
                      page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    """The subjects behind one count of the process map: those of the kind in the state that the reader may open,
    each linked to its page."""
    actor = page_actor(request)
    with db.read() as session:
        listed = subjects_in_state(session, actor, kind_name, state, variant, page)
        entries = _entries(session, subject_kind(kind_name), listed.rows)
    return render(request, "process_list.html", actor, kind=kind_name, state=state, variant=variant, page=page,
                  total=listed.total, entries=entries, pages=max(1, -(-listed.total // PAGE_SIZE)))


def _entries(session, kind, rows) -> list[Entry]:
    """Each subject as the list shows it: its title linked to its page, the case it is about, its court."""
    cases = {row.case_id for row in rows if getattr(row, "case_id", None)}
    numbers = dict(session.execute(select(Case.id, Case.case_number).where(Case.id.in_(cases))).all()) if cases else {}
    courts = dict(session.execute(select(Court.id, Court.name).where(Court.id.in_({r.court_id for r in rows}))).all())
    link = "/cases/{}" if kind.name == "cases" else f"/s/{kind.name}/{{}}"
    return [Entry(link.format(row.id), kind.title(row), "" if kind.name == "cases" else
                  numbers.get(getattr(row, "case_id", None), ""), courts.get(row.court_id, "")) for row in rows]
