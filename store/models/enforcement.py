"""终本 checklist: each item of enforcement.yaml recorded on the case with its evidence, once."""
from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class EnforcementCheck(SQLModel, table=True):
    __tablename__ = "enforcement_check"
    __table_args__ = (UniqueConstraint("case_id", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    item: str
    recorded_on: date
    evidence: str = Field(description="the document or record that shows it (文书编号、查控记录…), or why it does not apply")
    not_applicable: bool = False
    recorded_by: int | None = Field(default=None, foreign_key="users.id")
