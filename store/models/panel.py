"""The panel (合议庭) of a case: who sits on it and in what role."""
from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

PANEL_ROLES = ("lead", "presiding", "member", "juror")


class PanelMember(SQLModel, table=True):
    """One seat on a case's panel. The lead judge (承办法官) also sits here with role `lead`;
    assessment credits the lead with the lead coefficient and the others with the member one."""
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    role: str = Field(description="lead, presiding, member or juror (人民陪审员)")
    since: date
