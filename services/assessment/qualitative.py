"""定性评价: the leaders' comprehensive evaluation (综合评价) and the judge's evaluation of their
assistant, entered per person and month; and what the month's assessment takes from them and from
the approved bonus and deduction items (services/assessment/score_items.py).

An evaluation is entered until the month is assessed; the last one entered is kept and each one is
traced (who, what score, the one before).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from typing import Literal

from pydantic import Field
from sqlalchemy import select

from policies.assessment import AssessmentPolicy, with_qualitative
from policies.periods import Period
from services.kernel.access import court_path
from services.kernel.actor import Actor
from services.kernel.bounds import Id, MonthLabel
from services.kernel.errors import NotFound, Refused
from services.kernel.record import record
from services.kernel.subjects import Payload
from store.models import AssessmentRecord, Evaluation, RoleGrant, ScoreItem, User
from store.recipients import in_force

COUNTED = ("approved",)
"""An item counts while it stands approved (an objected one waits for the committee)."""
EVALUATORS = {"comprehensive": frozenset({"division_chief", "vice_president", "president"})}


class EvaluationEntry(Payload):
    user_id: Id = Field(description="被评价人")
    kind: Literal["comprehensive", "judge_of_assistant"] = Field(description="评价类型")
    period: MonthLabel = Field(description="月份")
    score: float = Field(ge=0, le=100, description="评分")
    note: str = Field(default="", max_length=2000, description="评语")


@dataclass
class MonthInputs:
    """What a month's records take from the qualitative side, loaded once for the month."""
    evaluations: dict[tuple[int, str], float] = field(default_factory=dict)
    items: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def evaluation(self, user_id: int, kind: str) -> float | None:
        return self.evaluations.get((user_id, kind))

    def apply(self, pol: AssessmentPolicy, user_id: int, base: float) -> tuple[float, dict]:
        """The month's score from its quantified `base`, and what was added, for the record's detail."""
        items = self.items.get(user_id, [])
        points = round(sum(i["points"] for i in items), 2)
        comprehensive = self.evaluation(user_id, "comprehensive")
        extra = {"comprehensive": comprehensive, "items": items, "item_points": points} \
            if comprehensive is not None or items else {}
        return with_qualitative(pol, base, comprehensive, points), extra


def month_inputs(session, month: Period, court_ids: list[int]) -> MonthInputs:
    inputs = MonthInputs()
    for user_id, kind, score in session.execute(select(Evaluation.user_id, Evaluation.kind, Evaluation.score).where(
            Evaluation.period == month.label, Evaluation.court_id.in_(court_ids))).all():
        inputs.evaluations[(user_id, kind)] = score
    items = select(ScoreItem.id, ScoreItem.user_id, ScoreItem.code, ScoreItem.label, ScoreItem.points).where(
        ScoreItem.counts_in == month.label, ScoreItem.state.in_(COUNTED), ScoreItem.court_id.in_(court_ids))
    for item_id, user_id, code, label, points in session.execute(items.order_by(ScoreItem.id)).all():
        inputs.items[user_id].append({"id": item_id, "code": code, "label": label, "points": points})
    return inputs


def month_assessed(session, user_id: int, month: str) -> bool:
    return session.execute(select(AssessmentRecord.id).where(
        AssessmentRecord.user_id == user_id, AssessmentRecord.period_kind == "month",
        AssessmentRecord.period == month)).first() is not None


def _may_evaluate(session, actor: Actor, person: User, kind: str, month: Period) -> Refused | None:
    """A leader's comprehensive evaluation; or a judge's of an assistant of their team (division) who holds the
    assistant role on the month's last day, as the month's staff records take them (services/assessment/staff)."""
    if actor.user_id == person.id:
        return Refused("refused.assessment.nobody_evaluates_themselves")
    roles = actor.roles_at(person.court_id, court_path(session, person.court_id), person.division_id)
    if kind == "comprehensive":
        return None if roles & EVALUATORS[kind] else Refused("refused.assessment.comprehensive_by_leaders")
    if not session.execute(select(RoleGrant.id).where(RoleGrant.user_id == person.id, RoleGrant.role == "assistant",
                                                       in_force(month.end))).first():
        return Refused("refused.assessment.judge_evaluates_assistant_only")
    me = session.get(User, actor.user_id)
    same_team = me.team_id == person.team_id if person.team_id else me.division_id == person.division_id
    if not (me.is_quota_judge and same_team):
        return Refused("refused.assessment.assistant_evaluated_by_own_judge")
    return None


def evaluate(db, actor: Actor, entry: EvaluationEntry, now: datetime) -> dict:
    """Enter (or replace) an evaluation for a month not yet assessed; traced with the one it replaces."""
    with db.write() as session:
        person = session.get(User, entry.user_id)
        if person is None or not actor.can_see(person.court_id, court_path(session, person.court_id), person.division_id):
            raise NotFound("not_found.assessment.person_not_found", user_id=entry.user_id)
        refusal = _may_evaluate(session, actor, person, entry.kind, Period.parse(entry.period))
        if refusal:
            raise refusal
        if month_assessed(session, person.id, entry.period):
            raise Refused("refused.assessment.month_assessed_evaluation_fixed", month=entry.period)
        row = session.execute(select(Evaluation).where(Evaluation.user_id == person.id, Evaluation.kind == entry.kind,
                                                       Evaluation.period == entry.period)).scalar_one_or_none()
        before = {"score": row.score, "by": row.evaluator_id} if row else {}
        row = row or Evaluation(user_id=person.id, court_id=person.court_id, kind=entry.kind, period=entry.period,
                                score=entry.score, evaluator_id=actor.user_id)
        row.score, row.note, row.evaluator_id, row.created_at = entry.score, entry.note, actor.user_id, now
        session.add(row)
        session.flush()
        record(session, actor, f"assessment.evaluate.{entry.kind}", at=now, subject_kind="users", subject_id=person.id,
               court_id=person.court_id, before=before, after={"period": entry.period, "score": entry.score},
               why=entry.note)
        return {"id": row.id, "user_id": person.id, "kind": entry.kind, "period": entry.period, "score": row.score,
                "note": row.note}
