"""专项评查 and appeal outcomes: what the trial office adds to the monthly selection by hand.

A special review is a category the trial office picks: a filter over the closed cases of
one court it holds the trial_office role for. Every matching case is selected in one
INSERT … SELECT. An appeal outcome (改判 or 发回重审) recorded against a case puts it into
the focused review of the month it was decided.
"""
from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator
from sqlalchemy import select

from services.kernel.subjects import Payload
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.record import record, record_refusal
from services.quality_review.selection import insert_reviews, reviewable, select_reviews
from services.kernel.access import court_path
from services.kernel.bounds import Day, Id
from store.bulk import insert_ignoring_duplicates
from store.models import AppealOutcome, Case, Court, SpecialReview

MAX_CASES = 5000


class SpecialFilter(Payload):
    court_id: Id = Field(description="法院")
    closed_from: Day = Field(description="结案日期自")
    closed_to: Day = Field(description="结案日期至")
    division_id: Id | None = Field(default=None, description="审判庭")
    procedure: str | None = Field(default=None, max_length=64, description="程序")
    cause: str | None = Field(default=None, max_length=100, description="案由（包含）")
    closing_method: str | None = Field(default=None, max_length=20, description="结案方式")
    judge_id: Id | None = Field(default=None, description="承办法官")

    @model_validator(mode="after")
    def _ordered(self):
        if self.closed_to < self.closed_from:
            raise ValueError("closed_to is before closed_from")
        return self


class SpecialCreate(Payload):
    title: str = Field(min_length=2, max_length=200, description="专项评查名称")
    filter: SpecialFilter


def _trial_office_of(session, actor: Actor, court_id: int) -> None:
    if session.get(Court, court_id) is None or not actor.can_see(court_id, court_path(session, court_id)):
        raise NotFound("not_found.quality_review.court_not_found", court_id=court_id)
    if "trial_office" not in actor.roles_at(court_id, court_path(session, court_id), None):
        raise Refused("refused.quality_review.only_trial_office_court_creates_special")


def _matching(f: SpecialFilter):
    clauses = [Case.court_id == f.court_id, reviewable(f.closed_from, f.closed_to)]
    for column, value in ((Case.division_id, f.division_id), (Case.procedure, f.procedure),
                          (Case.closing_method, f.closing_method), (Case.lead_judge_id, f.judge_id)):
        if value is not None:
            clauses.append(column == value)
    if f.cause:
        clauses.append(Case.cause.contains(f.cause, autoescape=True))
    return clauses


def traced_refusals(action: str):
    """A refusal rolls the command back and is then traced on its own (as services.kernel.engine does)."""
    def wrap(command):
        def run(db, actor: Actor, data, now: datetime):
            try:
                return command(db, actor, data, now)
            except Refused as refusal:
                record_refusal(db, actor, action, refusal.reason, at=now)
                raise
        run.__doc__, run.__name__ = command.__doc__, command.__name__
        return run
    return wrap


@traced_refusals("reviews.special_create")
def create_special_review(db, actor: Actor, data: SpecialCreate, now: datetime) -> dict:
    """Select every closed case the filter matches; refused (nothing written) when none or too many match."""
    f = data.filter
    with db.write() as session:
        _trial_office_of(session, actor, f.court_id)
        count = session.exec(select(Case.id).where(*_matching(f)).limit(MAX_CASES + 1)).all()
        if not count:
            raise Refused("refused.quality_review.no_closed_case_matches_filter")
        if len(count) > MAX_CASES:
            raise Refused("refused.quality_review.more_than_cases_match_narrow_filter", MAX_CASES=MAX_CASES)
        special = SpecialReview(court_id=f.court_id, title=data.title, criteria=f.model_dump(mode="json"),
                                created_by=actor.user_id, created_at=now)
        session.add(special)
        session.flush()
        today = local_today(now)
        stmt = select_reviews(session, f"special:{special.id}:", "special", data.title, today.strftime("%Y-%m"),
                              today, special.id).where(*_matching(f))
        special.case_count = insert_reviews(session, stmt)
        session.add(special)
        record(session, actor, "reviews.special_created", at=now, subject_kind="special_reviews",
               subject_id=special.id, court_id=f.court_id, why=data.title,
               after={"criteria": special.criteria, "case_count": special.case_count})
        return {"id": special.id, "title": special.title, "case_count": special.case_count}


class AppealOutcomeIn(Payload):
    case_id: Id
    outcome: Literal["revised", "remanded"] = Field(description="二审结果：改判 revised / 发回重审 remanded")
    appeal_case_number: str = Field(min_length=4, max_length=100, description="二审案号")
    decided_on: Day = Field(description="二审裁判日期")


RECORDERS = frozenset({"trial_office", "filing_clerk"})


@traced_refusals("cases.appeal_outcome")
def record_appeal_outcome(db, actor: Actor, data: AppealOutcomeIn, now: datetime) -> int:
    """Record that an appeal revised or remanded a closed case; once per (case, outcome, appeal case)."""
    with db.write() as session:
        case = session.get(Case, data.case_id)
        if case is None or not actor.can_see(case.court_id, court_path(session, case.court_id), case.division_id):
            raise NotFound("not_found.quality_review.case_not_found", case_id=data.case_id)
        if not RECORDERS & actor.roles_at(case.court_id, court_path(session, case.court_id), case.division_id):
            raise Refused("refused.quality_review.only_trial_office_filing_division_records")
        if case.closed_on is None or data.decided_on < case.closed_on or data.decided_on > local_today(now):
            raise Invalid("decided_on", "invalid.quality_review.appeal_was_decided_after_case_closed")
        row = dict(case_id=case.id, outcome=data.outcome, appeal_case_number=data.appeal_case_number,
                   decided_on=data.decided_on, recorded_by=actor.user_id, recorded_at=now)
        if not insert_ignoring_duplicates(session, AppealOutcome, [row], ["case_id", "outcome", "appeal_case_number"]):
            raise Refused("refused.quality_review.appeal_outcome_already_recorded")
        outcome_id = session.exec(select(AppealOutcome.id).where(
            AppealOutcome.case_id == case.id, AppealOutcome.outcome == data.outcome,
            AppealOutcome.appeal_case_number == data.appeal_case_number)).scalar_one()
        record(session, actor, f"cases.appeal_{data.outcome}", at=now, subject_kind="cases", subject_id=case.id,
               court_id=case.court_id, why=data.appeal_case_number, after=data.model_dump(mode="json"))
        return outcome_id
