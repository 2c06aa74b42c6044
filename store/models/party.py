"""Parties on record (当事人), SPEC §1.4: name, person or organisation, role, identity number stored masked."""
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

PARTY_KINDS = ("person", "organisation")
PARTY_ROLES = ("plaintiff", "defendant", "third_party", "appellant", "appellee", "applicant", "respondent",
               "accused", "private_prosecutor", "victim", "enforcement_applicant", "enforcement_respondent")


class Party(SQLModel, table=True):
    __table_args__ = (Index("ix_party_name_case", "name", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    name: str = Field(max_length=200)
    kind: str = Field(description="person or organisation")
    role: str = Field(description="plaintiff, defendant, third_party, appellant, …")
    id_number_masked: str = Field(default="", description="身份证号/统一社会信用代码, masked: only its ends are kept")
