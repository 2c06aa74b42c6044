"""怠于履行: a leader's supervision duty left undone (应当履行监督管理职责而不履行或怠于履行的，应当追究监督管理责任).

The chase records one when a supervision task goes past its day (services/kernel/chase.py); another
lifecycle records its own kind of lapse with `record_lapse`. Every lapse is shown on the 挂账督办 list
of its court and filed in the leader's yearly dossier (一人一档) as a `supervision_lapse` entry.
"""
from datetime import date, datetime

from sqlalchemy import literal, select as sql_select
from sqlmodel import Session, select

from services.kernel.dossier import record_in_dossier
from store.bulk import insert_ignoring_duplicates, insert_select_ignoring_duplicates, json_object, text_of
from store.models import DossierEntry, SupervisionLapse

DOSSIER_KIND = "supervision_lapse"
DOSSIER_COLUMNS = ["user_id", "year", "on", "kind", "title", "ref_kind", "ref_id", "detail", "dedupe_key",
                   "created_at"]


def record_lapse(session: Session, *, user_id: int, court_id: int, kind: str, title: str, on: date, dedupe_key: str,
                 at: datetime, division_id: int | None = None, task_id: int | None = None,
                 chased_task_id: int | None = None, due_on: date | None = None, detail: dict | None = None) -> bool:
    """Record one lapse against `user_id` and file it in their dossier for the year of `on`; the same
    `dedupe_key` records once. True when it was new."""
    row = dict(user_id=user_id, court_id=court_id, division_id=division_id, kind=kind, title=title, task_id=task_id,
               chased_task_id=chased_task_id, due_on=due_on, recorded_on=on, detail=detail or {},
               dedupe_key=dedupe_key, created_at=at)
    if insert_ignoring_duplicates(session, SupervisionLapse, [row], ["dedupe_key"]) != 1:
        return False
    lapse = session.exec(select(SupervisionLapse).where(SupervisionLapse.dedupe_key == dedupe_key)).one()
    record_in_dossier(session, user_id=user_id, on=on, kind=DOSSIER_KIND, title=title, dedupe_key=f"lapse:{lapse.id}", at=at,
                      ref_kind="supervision_lapses", ref_id=lapse.id, detail={"kind": kind, **(detail or {})})
    return True


def file_lapses_in_dossiers(session: Session, on: date) -> int:
    """The dossier entries of the lapses recorded on `on` (the chase's, in one statement)."""
    lapse = SupervisionLapse
    stmt = sql_select(lapse.user_id, literal(on.year), lapse.recorded_on, literal(DOSSIER_KIND), lapse.title,
                      literal("supervision_lapses"), lapse.id, json_object(session, kind=lapse.kind),
                      literal("lapse:") + text_of(lapse.id), lapse.created_at).where(lapse.recorded_on == on)
    return insert_select_ignoring_duplicates(session, DossierEntry, DOSSIER_COLUMNS, stmt, ["dedupe_key"])


def lapses_of(session: Session, user_id: int, year: int) -> list[SupervisionLapse]:
    """A leader's lapses in a year, oldest first."""
    stmt = (select(SupervisionLapse).where(SupervisionLapse.user_id == user_id,
                                           SupervisionLapse.recorded_on >= date(year, 1, 1),
                                           SupervisionLapse.recorded_on <= date(year, 12, 31))
            .order_by(SupervisionLapse.recorded_on, SupervisionLapse.id))
    return list(session.exec(stmt).all())


def lapses_in(session: Session, court_ids: list[int], *, division_id: int | None = None,
              since: date | None = None) -> list[SupervisionLapse]:
    """The lapses recorded in these courts (one division's only, if given), newest first."""
    stmt = select(SupervisionLapse).where(SupervisionLapse.court_id.in_(court_ids))
    if division_id is not None:
        stmt = stmt.where(SupervisionLapse.division_id == division_id)
    if since is not None:
        stmt = stmt.where(SupervisionLapse.recorded_on >= since)
    return list(session.exec(stmt.order_by(SupervisionLapse.recorded_on.desc(), SupervisionLapse.id.desc())).all())
