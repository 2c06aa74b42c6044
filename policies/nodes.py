"""Schema of nodes.yaml: the time standard of every process node (流程节点管理), SPEC §1.3 and §1.5.

A node is planned when its trigger happens: the trigger's date plus `within` (months or days, as the
statutory clock counts them, rolled forward to a working day), or `within` working days; a node that
must happen at least some days `before` its trigger (a hearing) is planned that many days earlier.
Each standard names its legal source: the catalog's `node_source.<source>` in the reader's language;
the node's name is the catalog's `node.<code>`."""
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, model_validator

from policies.calendar import OfficialCalendar
from policies.deadline import add_duration
from policies.monitoring import Recipient
from policies.time_limits import DurationField, ProcedureCode

Trigger = Literal["complaint_received", "filed", "panel_fixed", "defence_received", "hearing_scheduled", "decided",
                  "took_effect", "appeal_received", "appeal_defence_received", "property_leads_received",
                  "investigation_requested", "closed"]
"""What plans a node. `filed`, `panel_fixed` (assignment, an approved change of judge or panel member),
`decided` and `closed` are the case's own events; the others are
facts the case's judge or clerk records with their date (`note_trigger`, services/cases/payloads.NODE_TRIGGERS)."""
DoneBy = Literal["filed", "assigned", "archived"]
NodeCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
SourceKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
PUBLICATION = "published"
"""The publication node (裁判文书上网): recorded by `publish` or `exempt_publication`, never by `record_node`."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NodeStandard(_Strict):
    trigger: Trigger
    within: DurationField
    working_days: bool = False
    before: bool = False
    done_by: DoneBy | None = None
    holder: Recipient = "lead_judge"
    source: SourceKey

    @model_validator(mode="after")
    def _days_for_working_and_before(self):
        if (self.working_days or self.before) and self.within.unit != "d":
            raise ValueError("working_days and before count whole days: write within as \"Nd\"")
        if self.working_days and self.before:
            raise ValueError("a node counted before its trigger is counted in calendar days")
        return self


Standards = dict[NodeCode, NodeStandard]


def _no_auto_done_publication(standards: Standards) -> Standards:
    if PUBLICATION in standards and standards[PUBLICATION].done_by is not None:
        raise ValueError("publication is done by publish or exempt_publication only")
    return standards


class NodePolicy(_Strict):
    """every_case: the nodes of every procedure; procedures: each procedure's own (adding to, or replacing,
    the every-case node of the same code); effective_on_decision: the procedures whose judgment or ruling takes
    effect when it is given (final instance), so deciding also triggers `took_effect`."""
    every_case: Annotated[Standards, AfterValidator(_no_auto_done_publication)]
    procedures: dict[ProcedureCode, Annotated[Standards, AfterValidator(_no_auto_done_publication)]] = {}
    effective_on_decision: list[ProcedureCode] = []

    def standards(self, procedure: str) -> Standards:
        return {**self.every_case, **self.procedures.get(procedure, {})}

    def triggered_by(self, procedure: str, trigger: str) -> Standards:
        return {code: s for code, s in self.standards(procedure).items() if s.trigger == trigger}


def planned_on(standard: NodeStandard, trigger_on: date, calendar: OfficialCalendar) -> date:
    """The latest day the node may be done: with the statutory clock's arithmetic (policies/deadline.py), the
    trigger's day plus the standard rolled forward to a working day (CPL art. 85); or that many working days
    after it; or, for a node due `before` its trigger, that many calendar days earlier."""
    if standard.before:
        return trigger_on - timedelta(days=standard.within.value)
    if standard.working_days:
        return calendar.add_working_days(trigger_on, standard.within.value).date
    return calendar.next_working_day(add_duration(trigger_on, standard.within))[0]
