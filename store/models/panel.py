"""The panel (合议庭) of a case: who sits on it and in what seat."""
from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.models.base import unique_where

PANEL_ROLES = ("lead", "member", "assessor")


class PanelMember(SQLModel, table=True):
    """One seat on a case's panel. The lead judge (承办法官) also sits here with role `lead` and presides;
    the other judges sit as `member`, the people's assessors (人民陪审员) as `assessor`. Assessment credits
    the lead with the lead coefficient and the members with the member one; an assessor is not credited."""
    __table_args__ = (UniqueConstraint("case_id", "user_id"),
                      unique_where("uq_panel_lead", "role = 'lead'", "case_id"),
                      CheckConstraint("role IN ({})".format(", ".join(f"'{r}'" for r in PANEL_ROLES)), name="ck_panel_role"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    role: str = Field(description="lead, member or assessor (人民陪审员)")
    since: date
