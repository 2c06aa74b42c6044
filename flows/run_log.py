"""Every scheduled flow writes its own run into `flow_run`: at start ('running') and at the end
('completed' with what it wrote, 'failed' with the error, or 'busy' when another run held the work).

The flow-health page and `courtflow status` read these rows, so they work without the Prefect server
and show runs started by hand (`courtflow flow run …`) too. Times are the wall clock: when the run
really happened; `as_of` says which court day (or instant) it was for.
"""
import functools
import inspect
from datetime import datetime, timezone

from sqlalchemy import delete
from sqlmodel import select

from flows.run_context import flow_database
from services.calendar_today import COURT_TZ
from store.jsonable import jsonable
from store.models import FlowRun

MAX_ERROR = 500
KEEP = 1000
"""Runs kept per flow: 1000 minutes of notice delivery, decades of the monthly flows."""


def recorded(name: str):
    """Decorate a flow's function (under @flow) so each call is written to `flow_run` under `name`.
    A result {'busy': n} means the run found another holding the work and did nothing."""
    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def run(*args, **kwargs):
            arguments = signature.bind(*args, **kwargs).arguments
            url = arguments.get("database_url")
            database = flow_database(url)
            as_of = arguments.get("as_of") or arguments.get("now") or _today()
            try:
                return _recorded_call(database, name, str(as_of), lambda: fn(*args, **kwargs))
            finally:
                if url:
                    database.dispose()
        return run
    return decorate


def _recorded_call(database, name: str, as_of: str, call):
    run_id = _start(database, name, as_of)
    try:
        result = call()
    except BaseException as exc:
        _finish(database, run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"[:MAX_ERROR]})
        raise
    _finish(database, run_id, _state(result), jsonable(result))
    return result


def _state(result) -> str:
    return "busy" if isinstance(result, dict) and result.get("busy") else "completed"


def _today() -> str:
    return datetime.now(COURT_TZ).date().isoformat()


def _start(database, name: str, as_of: str) -> int:
    """The run's row, and the flow's runs beyond the last KEEP gone (the every-minute flow would
    otherwise add half a million rows a year)."""
    with database.write() as session:
        row = FlowRun(name=name, as_of=as_of, started_at=datetime.now(timezone.utc), state="running")
        session.add(row)
        session.flush()
        oldest_kept = (select(FlowRun.id).where(FlowRun.name == name).order_by(FlowRun.id.desc())
                       .offset(KEEP - 1).limit(1).scalar_subquery())
        session.exec(delete(FlowRun).where(FlowRun.name == name, FlowRun.id < oldest_kept))
        return row.id


def _finish(database, run_id: int, state: str, summary) -> None:
    with database.write() as session:
        row = session.get(FlowRun, run_id)
        row.finished_at, row.state = datetime.now(timezone.utc), state
        row.summary = summary if isinstance(summary, dict) else {"result": summary}
