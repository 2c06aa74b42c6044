"""The flow-health page (/flows): the scheduled flows' runs and the undeliverable notices, with a retry button."""
from fastapi import APIRouter, HTTPException, Request

from api.deps import DbDep, NowDep
import i18n
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.routes.operations import NoticeId
from flows.registry import deployments
from notifications.render import RenderError, render as render_notice
from services.operations import dead_letters
from services.kernel.errors import NotFound, Refused
from services.operations.flow_health import flow_health

router = APIRouter(tags=["pages"])


def _keeper(request: Request):
    actor = page_actor(request)
    if not dead_letters.is_keeper(actor):
        raise HTTPException(403, i18n.gettext("fh_only_keepers", lang_of(request)))
    return actor


@router.get("/flows")
def flows_page(request: Request, db: DbDep, now: NowDep):
    return _page(request, db, now, _keeper(request))


@router.post("/flows/dead-notices/{notice_id}/retry")
async def retry_from_page(request: Request, db: DbDep, now: NowDep, notice_id: int = NoticeId):
    actor = _keeper(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    try:
        with db.write() as session:
            dead_letters.retry(session, actor, notice_id, now)
    except (NotFound, Refused):
        return _page(request, db, now, actor, error=i18n.gettext("fh_not_dead", lang_of(request)), status_code=409)
    return redirect(f"/flows?retried={notice_id}")


def _page(request: Request, db, now, actor, **extra):
    lang = lang_of(request)
    with db.read() as session:
        flows = flow_health(session, list(deployments().values()), now)
        dead = dead_letters.dead_letters(session, actor)
    return render(request, "operations/flows.html", actor, flows=flows, dead=dead, wrote=lambda s: wrote(s, lang),
                  span=lambda d: _span(d, lang), title_of=lambda d: _title(d, lang), **extra)


def _span(delta, lang: str) -> str:
    """A duration or interval in the largest whole unit: 45 秒, 1 分钟, 1 天."""
    seconds = delta.total_seconds()
    for unit, size in (("fh_days", 86400), ("fh_hours", 3600), ("fh_minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {i18n.gettext(unit, lang)}"
    return f"{seconds:.1f} {i18n.gettext('fh_seconds', lang)}"


def _title(dead: dead_letters.DeadLetter, lang: str) -> str:
    """The notice's own title in the reader's language."""
    try:
        return render_notice(dead.kind, dead.context, lang)[0]
    except RenderError:
        return f"#{dead.id}"


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("flow_health", "/flows", set(dead_letters.KEEPERS), group="manage")


def wrote(summary: dict, lang: str) -> list[tuple[str, object]]:
    """The counts a run wrote, labelled: numeric leaves of its summary (nested counts are added up by
    name, e.g. the months an assessment run covered). A failed run's error is shown apart, as detail."""
    totals: dict[str, object] = {}
    _collect(summary, totals)
    return [(i18n.gettext(f"fhw_{key}", lang), value) for key, value in totals.items()]


def _collect(value, totals: dict, key: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _collect(v, totals, k if not k[:1].isdigit() else key)  # "2025-07": a period, not a label
    elif isinstance(value, bool):
        return
    elif isinstance(value, (int, float)):
        totals[key] = totals.get(key, 0) + value
