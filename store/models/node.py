"""Process nodes (流程节点管理) and publication online (裁判文书上网): each node of a case, planned when its
trigger happened, with the date it was done. Indicators read them by court and planned or done date."""
from datetime import date

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from store.models.base import unique_where

OPEN_UNFLAGGED = "done_on IS NULL AND flagged_on IS NULL"
"""The overdue sweep's partial index condition: only nodes not yet done and not yet flagged are read."""
DONE = "done_on IS NOT NULL"


class CaseNode(SQLModel, table=True):
    __tablename__ = "case_node"
    __table_args__ = (
        unique_where("uq_case_node_open", "done_on IS NULL", "case_id", "node"),
        Index("ix_case_node_open_unflagged", "planned_on", "court_id",
              sqlite_where=text(OPEN_UNFLAGGED), postgresql_where=text(OPEN_UNFLAGGED)),
        Index("ix_case_node_court_planned", "court_id", "node", "planned_on"),
        # the indicators' nodes due in a period, read without touching the table (indicator_counts.py)
        Index("ix_case_node_planned", "planned_on", "case_id", "node", "done_on", "late", "note", "exemption_ground"),
        # the nodes done, by court (indicators); partial, so the overdue sweep's planner never takes it for
        # `done_on IS NULL` (a skip-scan SQLite preferred over the sweep's own index at province scale)
        Index("ix_case_node_court_done", "court_id", "node", "done_on",
              sqlite_where=text(DONE), postgresql_where=text(DONE)),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    division_id: int | None = Field(default=None, foreign_key="division.id")
    node: str = Field(description="the node's code in nodes.yaml; its name is the catalog's node.<code>")
    source: str = Field(description="its legal source: the catalog's node_source.<source>")
    trigger_on: date
    planned_on: date = Field(description="the latest day it may be done")
    done_on: date | None = None
    late: bool = Field(default=False, description="done after its planned day, or flagged overdue")
    flagged_on: date | None = Field(default=None, description="the day the daily monitor flagged it overdue (once)")
    task_id: int | None = Field(default=None, foreign_key="task.id")
    recorded_by: int | None = Field(default=None, foreign_key="users.id")
    note: str = ""
    reference: str = Field(default="", description="publication: the published document's reference (网上公布编号)")
    exemption_ground: str | None = Field(default=None, description="publication: the ground it is not published")
    approved_by: int | None = Field(default=None, foreign_key="users.id",
                                    description="publication exempted on the `other` ground: the chief who approved")
