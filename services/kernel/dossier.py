"""The judge's dossier (一人一档、一年一卷): the one place every feature files its records about a person.

Assessment files monthly records, explanations, interviews and grades; quality review files
review results; quota exit files the proceeding and its effect. The dossier page and export
read them back per person and year.
"""
from datetime import date, datetime

from sqlmodel import select

from store.bulk import insert_ignoring_duplicates
from store.models.dossier import DossierEntry


def record_in_dossier(session, *, user_id: int, on: date, kind: str, title: str, dedupe_key: str, at: datetime,
                      ref_kind: str | None = None, ref_id: int | None = None, detail: dict | None = None) -> bool:
    """File one record in `user_id`'s dossier for the year of `on`, at the instant `at` of the action or run that
    files it; the same `dedupe_key` files once.

    Returns True when the record was new."""
    row = dict(user_id=user_id, year=on.year, on=on, kind=kind, title=title, ref_kind=ref_kind, ref_id=ref_id,
               detail=detail or {}, dedupe_key=dedupe_key, created_at=at)
    return insert_ignoring_duplicates(session, DossierEntry, [row], ["dedupe_key"]) == 1


def dossier_entries(session, user_id: int, year: int) -> list[DossierEntry]:
    """A person's dossier for one year, oldest first."""
    stmt = (select(DossierEntry).where(DossierEntry.user_id == user_id, DossierEntry.year == year)
            .order_by(DossierEntry.on, DossierEntry.id))
    return list(session.exec(stmt).all())
