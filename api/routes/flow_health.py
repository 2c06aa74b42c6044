"""Flow health for the trial office and administrators: the scheduled flows' runs and the notices that
could not be delivered, which they may put back into the queue."""
from fastapi import APIRouter, HTTPException, Path

from api.deps import CurrentActor, DbDep, NowDep
from flows.registry import deployments
from services import dead_letters
from services.actor import Actor
from services.flow_health import FlowHealth, flow_health
from store.jsonable import jsonable

router = APIRouter(prefix="/api/v1/flow-health", tags=["flow health"])
NoticeId = Path(ge=1, le=2**63 - 1, description="the notice's id")


def require_keeper(actor: Actor) -> None:
    if not dead_letters.is_keeper(actor):
        raise HTTPException(403, "flow health is for the trial office and administrators")


def health_public(h: FlowHealth) -> dict:
    return jsonable({
        "name": h.name, "description": h.description, "cron": h.cron, "interval_seconds": h.interval.total_seconds(),
        "next_run": h.next_run, "last_run": None if h.last_started_at is None else {
            "state": h.last_state, "as_of": h.last_as_of, "started_at": h.last_started_at,
            "finished_at": h.last_finished_at,
            "duration_seconds": h.duration.total_seconds() if h.duration is not None else None, "wrote": h.summary},
        "last_completed_at": h.last_completed_at, "late": h.late, "failed": h.failed})


def dead_public(d: dead_letters.DeadLetter) -> dict:
    return jsonable(dict(vars(d), retry_url=f"/api/v1/flow-health/dead-notices/{d.id}/retry"))


@router.get("")
def get_flow_health(actor: CurrentActor, db: DbDep, now: NowDep):
    """Each scheduled flow (prefect.yaml): last run, its state, duration and what it wrote, next run,
    flagged `late` (no completed run within twice its interval) or `failed`; and the undeliverable notices."""
    require_keeper(actor)
    with db.read() as session:
        flows = flow_health(session, list(deployments().values()), now)
        dead = dead_letters.dead_letters(session, actor)
    return {"as_of": jsonable(now), "flows": [health_public(h) for h in flows],
            "dead_notices": [dead_public(d) for d in dead]}


@router.post("/dead-notices/{notice_id}/retry")
def retry_dead_notice(actor: CurrentActor, db: DbDep, now: NowDep, notice_id: int = NoticeId):
    """Put an undeliverable notice back into the queue, attempts reset (traced); 409 if it is not dead."""
    require_keeper(actor)
    with db.write() as session:
        notice = dead_letters.retry(session, actor, notice_id, now)
        return {"id": notice.id, "state": notice.state, "attempts": notice.attempts}
