"""What the JSON routes answer, as pydantic models: the OpenAPI document describes every response, and the fuzz
test (tests/integration/test_api_fuzz.py) checks each answer against it.

Rows that show a table's columns take the columns' own types (`mirror`), so a column that changes type changes
the document with it."""
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from services.cases.subject import PUBLIC_FIELDS
from store.models import (AssessmentRecord, Case, CommitteeReferral, DraftReview, ExitProceeding, ExitSubmission,
                          FourTypeFlag, MeetingReferral, Petition, RequiredReport, Review, Supervision, Task)


def mirror(name: str, table, columns: tuple[str, ...], **more) -> type[BaseModel]:
    """A model of `columns` of `table`, typed as the table types them, with `more` fields (name=(type, default))."""
    fields = {c: (table.model_fields[c].annotation, ...) for c in columns}
    return create_model(name, **fields, **more)


# --- auth and tasks ---------------------------------------------------------------------------------------------

class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Grant(BaseModel):
    role: str
    court_id: int
    division_id: int | None
    include_subtree: bool


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    language: str
    grants: list[Grant]


TaskOut = mirror("TaskOut", Task, ("id", "kind", "title", "subject_kind", "subject_id", "court_id", "division_id",
                                    "assignee_user_id", "assignee_role", "due_on", "state", "escalation_level",
                                    "context", "priority", "delegated_from_user_id"),
                 subject_url=(str, ...))


# --- subjects ---------------------------------------------------------------------------------------------------

class SubjectView(BaseModel):
    """Any subject (a case, petition, task, draft, …): its kind's own public fields, then the common ones."""
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})
    kind: str = Field(description="the subject's kind; the other fields are that kind's public fields")
    id: int
    state: str
    version: int
    allowed_events: list[str] = Field(description="the events the caller may fire now")


# --- cases ------------------------------------------------------------------------------------------------------

CaseRow = mirror("CaseRow", Case, (*PUBLIC_FIELDS, "id", "state", "version"),
                 lead_judge_name=(str | None, None), days_left=(int | None, None))


class CasePage(BaseModel):
    items: list[CaseRow]  # type: ignore[valid-type]
    total: int
    total_exact: bool
    page: int
    per_page: int


class Draw(BaseModel):
    id: int
    method: str
    candidates: list[Any]
    seed: str
    result_judge_id: int
    reason: str
    approved_by: int | None
    at: datetime
    verified: bool


# --- quota exits ------------------------------------------------------------------------------------------------

ExitRow = mirror("ExitRow", ExitProceeding, ("id", "judge_id", "path", "ground", "state", "opened_on", "closed_on"),
                 standing_outcome=(str | None, None), judge_name=(str, ...), court_name=(str, ...), window=(str | None, None),
                 closes_on=(date | None, None), days_left=(int | None, None))
Submission = mirror("Submission", ExitSubmission, ("id", "kind", "party", "by_user_id", "on", "text", "filename",
                                                   "content_type", "size_bytes", "sha256", "late", "attached_on"))


# --- petitions --------------------------------------------------------------------------------------------------

PetitionRow = mirror("PetitionRow", Petition, ("id", "state", "petitioner", "channel", "matter", "summary",
                                               "division_id", "case_id", "named_person", "registered_on", "due_on",
                                               "answered_on"),
                     status=(str, ...), court_name=(str, ...), division_name=(str | None, None),
                     case_number=(str | None, None), handler_name=(str | None, None), days_left=(int, ...),
                     answered_late=(bool, ...))


class PetitionCount(BaseModel):
    court_id: int
    court_name: str
    division_id: int | None
    division_name: str | None
    received: int
    answered_on_time: int
    answered_late: int
    open_late: int


# --- supervision ------------------------------------------------------------------------------------------------

class Flagged(BaseModel):
    flagged: bool = Field(description="false when the case already carried that category")


FlagOut = mirror("FlagOut", FourTypeFlag, ("category", "source", "reason", "flagged_on"), category_name=(str, ...))


class Measure(BaseModel):
    kind: str
    by: str
    at: datetime
    on: date
    note: str
    ref: str | None


ReportOut = mirror("ReportOut", RequiredReport, ("id", "kind", "state", "due_on", "received_on"),
                   required_by=(str, ...))


class Opinion(BaseModel):
    by: str
    view: str
    reasoning: str


MeetingOut = mirror("MeetingOut", MeetingReferral, ("id", "question", "options", "state", "majority_view",
                                                    "unanimous", "answer_reason"), opinions=(list[Opinion], ...))
CommitteeOut = mirror("CommitteeOut", CommitteeReferral, ("id", "question", "state", "decision", "reasons",
                                                          "decided_on", "publish", "withheld_ground",
                                                          "judgment_doc_ref"), participants=(list[str], ...))


class DraftAction(BaseModel):
    by: str
    role: str
    action: str
    note: str
    round: int


DraftOut = mirror("DraftOut", DraftReview, ("id", "document_kind", "outcome", "state", "round", "chain", "step"),
                  actions=(list[DraftAction], ...))


class ProposalOut(BaseModel):
    id: int
    category: int
    source: str
    state: str


CaseSupervision = create_model(
    "CaseSupervision", flags=(list[FlagOut], ...), proposals=(list[ProposalOut], ...),
    supervision=(mirror("SupervisionOut", Supervision, ("id", "state", "report_due", "reported_on", "report_text",
                                                        "ended_on")) | None, None),
    measures=(list[Measure], ...), reports=(list[ReportOut], ...), meetings=(list[MeetingOut], ...),
    committee=(list[CommitteeOut], ...), drafts=(list[DraftOut], ...))


class BoardFlagged(BaseModel):
    case_id: int
    case_number: str
    cause: str
    supervision_id: int
    state: str
    categories: list[int]
    report_due: date | None
    report_overdue: bool


class BoardReport(BaseModel):
    id: int
    case_id: int
    case_number: str
    kind: str
    due_on: date | None
    overdue: bool


class BoardDraft(BaseModel):
    id: int
    case_id: int
    case_number: str
    document_kind: str
    round: int
    role: str | None
    submitted_on: date


class SupervisionBoard(BaseModel):
    flagged: list[BoardFlagged]
    reports: list[BoardReport]
    drafts: list[BoardDraft]


# --- quality review ---------------------------------------------------------------------------------------------

ReviewRow = mirror("ReviewRow", Review, ("id", "state", "case_id", "kind", "category", "month", "judge_id",
                                         "reviewer_id", "review_due", "grade", "findings", "summary", "graded_on",
                                         "objection_due", "objection", "decision_due", "objection_decision",
                                         "final_grade", "final_on", "rectification_due", "rectification_report",
                                         "rereview_note", "closed_on", "referred_on"),
                   case_number=(str | None, None), court=(str | None, None), division=(str | None, None),
                   judge=(str | None, None), reviewer=(str | None, None))


class ReviewCounts(BaseModel):
    states: dict[str, int]
    grades: dict[str, int]


class ReviewBoard(BaseModel):
    items: list[ReviewRow]  # type: ignore[valid-type]
    counts: ReviewCounts


class SpecialReview(BaseModel):
    id: int
    title: str
    case_count: int


class Assigned(BaseModel):
    assigned: int = Field(description="reviews given a reviewer")
    refused: list[str] = Field(description="#review: why no reviewer could be drawn")


class Created(BaseModel):
    id: int


class ReviewDrawOut(BaseModel):
    id: int
    court_id: int
    month: str
    seed: str
    rate: float
    per_judge: bool
    population: int = Field(description="how many cases the draw was made from")
    selected: list[int]
    verified: bool


# --- assessment -------------------------------------------------------------------------------------------------

class Range(BaseModel):
    low: float | None
    high: float | None


class IndicatorValue(BaseModel):
    label: str
    value: float | None
    previous: float | None
    last_year: float | None
    mom: float | None = Field(description="环比: change against the previous period")
    yoy: float | None = Field(description="同比: change against the same period last year")
    range: Range | None
    normal: bool | None
    group: str = Field(description="quality (质量), efficiency (效率) or effect (效果)")
    source: str = Field(description="the definition and where it comes from (indicators.yaml)")
    awaiting: str | None = Field(description="the data it waits for (then listed, not computed)")
    improving: bool | None = Field(description="同比趋优: moved the better way since last year")


class AgeBand(BaseModel):
    label: str
    pending: int


class IndicatorUnit(BaseModel):
    level: str
    id: int
    name: str
    court_id: int
    division_id: int | None
    indicators: dict[str, IndicatorValue]
    counts: dict[str, int]
    age_profile: list[AgeBand]
    improving: int = Field(description="how many indicators improved year on year (N of M 同比趋优)")
    comparable: int = Field(description="how many had a value both now and a year before (the M)")


class IndicatorReport(BaseModel):
    period: str
    previous: str
    last_year: str
    units: list[IndicatorUnit]


Record = mirror("Record", AssessmentRecord, ("period_kind", "period", "start", "end", "closed", "member_closed",
                                             "credits", "quantity", "target", "met", "missed_streak", "quality",
                                             "efficiency", "effect", "score", "grade", "detail"))


class AssessmentYear(BaseModel):
    months: list[Record]  # type: ignore[valid-type]
    evaluations: list[Record]  # type: ignore[valid-type]
    year: Record | None  # type: ignore[valid-type]


class DossierItem(BaseModel):
    on: date
    kind: str
    title: str
    ref_kind: str | None
    ref_id: int | None
    detail: dict[str, Any]


class Commitment(BaseModel):
    week_start: date
    promised: int


# --- flow health ------------------------------------------------------------------------------------------------

class LastRun(BaseModel):
    state: str
    as_of: str
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    wrote: dict[str, Any]


class FlowState(BaseModel):
    name: str
    description: str
    cron: str
    interval_seconds: float
    next_run: datetime
    last_run: LastRun | None
    last_completed_at: datetime | None
    late: bool
    failed: bool


class DeadNotice(BaseModel):
    id: int
    kind: str
    recipient: str
    context: dict[str, Any]
    court_id: int
    attempts: int
    last_error: str
    created_at: datetime
    retry_url: str


class FlowHealthPage(BaseModel):
    as_of: datetime
    flows: list[FlowState]
    dead_notices: list[DeadNotice]


class RetriedNotice(BaseModel):
    id: int
    state: str
    attempts: int
