"""三个规定: records of inquiries into and interference with a case, each judge's monthly report of them
(the records, or a zero report), and each court's quarterly summary for the court above.

A record is append-only: its table refuses UPDATE and DELETE by trigger (as the trace does), and each
record's trace entry holds the record as written, so an edit made past the trigger is caught by
`courtflow trace verify` (services/kernel/sealed.py)."""
from datetime import date, datetime

from sqlalchemy import DDL, Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from store.models.base import Versioned, aware, json_field, utcnow
from store.models.trace import append_only_ddl

SOURCES = ("inside", "outside")
"""内部人员过问 (seen by inspection) or 领导干部/外部 interference (seen by the trial office)."""
MANNERS = ("in_person", "phone", "note", "through_others")


class InterferenceRecord(SQLModel, table=True):
    __tablename__ = "interference_record"
    __table_args__ = (Index("ix_interference_record_court_day", "court_id", "occurred_on"),
                      Index("ix_interference_record_recorder", "recorded_by", "occurred_on"))
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    recorded_by: int = Field(foreign_key="users.id", description="记录人 (shown to the viewers only)")
    recorded_at: datetime = aware(nullable=False, default_factory=utcnow)
    source: str = Field(description="inside or outside the court")
    person_name: str = Field(description="过问、干预人姓名")
    person_post: str = Field(default="", description="职务")
    person_org: str = Field(default="", description="单位")
    person_user_id: int | None = Field(default=None, foreign_key="users.id", index=True,
                                       description="the person, when they are a user of the system")
    occurred_on: date = Field(description="过问、干预的日期")
    manner: str = Field(description="in_person, phone, note or through_others")
    asked: str = Field(description="过问、干预的内容")
    response: str = Field(description="记录人如何处理")


class InterferenceReport(Versioned, SQLModel, table=True):
    """One judge's report for one month: due until filed with the month's records, or as a zero report."""
    __tablename__ = "interference_report"
    __table_args__ = (UniqueConstraint("judge_id", "month"), Index("ix_interference_report_court_month",
                                                                   "court_id", "month"))
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="users.id")
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    month: str = Field(description="YYYY-MM")
    due_on: date
    state: str = "due"
    filed_at: datetime | None = aware()
    record_ids: list = json_field(list)
    zero: bool = Field(default=False, description="零报告: no inquiry or interference this month")
    note: str = ""
    version: int = 1


class InterferenceSummary(SQLModel, table=True):
    """A court's quarter, summed for the higher court's trial office and inspection."""
    __tablename__ = "interference_summary"
    __table_args__ = (UniqueConstraint("court_id", "quarter"),)
    id: int | None = Field(default=None, primary_key=True)
    court_id: int = Field(foreign_key="court.id")
    to_court_id: int = Field(foreign_key="court.id", index=True)
    quarter: str = Field(description="YYYYQn")
    figures: dict = json_field(dict)
    written_at: datetime = aware(nullable=False, default_factory=utcnow)


for _dialect in ("sqlite", "postgresql"):
    for _statement in append_only_ddl(InterferenceRecord.__tablename__, _dialect):
        event.listen(InterferenceRecord.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
