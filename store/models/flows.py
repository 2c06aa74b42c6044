"""What the scheduled flows did, and which run may deliver notices now."""
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from store.models.base import aware, json_field


class FlowRun(SQLModel, table=True):
    """One run of a scheduled flow, written by the flow itself at start and end: the flow-health page
    reads these, so it works without asking the Prefect server."""
    __tablename__ = "flow_run"
    __table_args__ = (Index("ix_flow_run_name_started", "name", "started_at"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(description="the deployment's name in prefect.yaml, e.g. deliver-notices")
    as_of: str = Field(default="", description="the court day or instant the run was for")
    started_at: datetime = aware(nullable=False)
    finished_at: datetime | None = aware()
    state: str = Field(default="running", description="running, completed, failed or busy")
    summary: dict = json_field(dict)


class RunLease(SQLModel, table=True):
    """At most one holder of a named job at a time (e.g. the notice delivery): taken by compare-and-set,
    renewed while working, released at the end; an expired lease may be taken over."""
    __tablename__ = "run_lease"
    name: str = Field(primary_key=True)
    holder: str | None = None
    held_until: datetime | None = aware()
