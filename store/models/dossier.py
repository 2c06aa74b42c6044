"""一人一档、一年一卷: every record about a judge (or any assessed staff member) for a year."""
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from store.models.base import aware, json_field, utcnow


class DossierEntry(SQLModel, table=True):
    """One record in a person's yearly dossier; appended, never edited.

    `ref_kind`/`ref_id` point at the subject the record comes from (an assessment month, an
    explanation task, a review, an exit proceeding, …); `dedupe_key` keeps a flow that runs
    twice from filing the same record twice."""
    __table_args__ = (Index("ix_dossier_user_year", "user_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    year: int
    on: date
    kind: str = Field(description="monthly_record, explanation, interview, admonishment, review_result, grade, "
                                  "quota_exit, …")
    title: str
    ref_kind: str | None = None
    ref_id: int | None = None
    detail: dict = json_field()
    dedupe_key: str = Field(unique=True)
    created_at: datetime = aware(nullable=False, default_factory=utcnow)
