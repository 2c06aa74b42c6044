"""Ladder steps as a subject: the judge files the explanation, the division chief reviews it, the
chief or president schedules the talk and records its minutes, the committee records its
consideration. Every step goes through services/kernel/engine.fire (roles, CAS, trace)."""
from typing import Literal

from pydantic import Field
from sqlalchemy import or_
from sqlmodel import select

from policies.roles import LEADERS
from services.kernel.clock import local_date, local_today
from services.kernel.actor import Actor
from services.kernel.dossier import record_in_dossier
from services.assessment.ladder_effects import ACTING_ROLE, open_exit, step_title, task_row
from services.kernel.policy import calendar, policy
from store.recipients import holders
from services.kernel.errors import Refused
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.kernel.tasks import close_tasks
from services.kernel.access import court_path
from services.kernel.bounds import Day
from services.kernel.need_to_know import persons_read, reads_person
from statemachines.ladder_step import EVENT_ACTIONS, LadderStepMachine
from store.models import LadderStep, Task, User
from store.outbox import enqueue

REVIEW_DAYS = 5


class _Payload(Payload):
    pass


class FileExplanation(_Payload):
    explanation: str = Field(min_length=10, max_length=5000, description="未完成任务的原因")
    measures: str = Field(min_length=5, max_length=5000, description="整改措施")


class Review(_Payload):
    note: str = Field(default="", max_length=2000, description="审核意见")


class ReturnForRevision(_Payload):
    reason: str = Field(min_length=2, max_length=2000, description="退回理由")


class Schedule(_Payload):
    on: Day = Field(description="谈话日期")
    place: str = Field(min_length=2, max_length=200, description="地点")


class Minutes(_Payload):
    minutes: str = Field(min_length=10, max_length=10000, description="谈话记录")


class Decide(_Payload):
    outcome: Literal["open_exit", "observe", "no_action"] = Field(description="研究结论")
    minutes: str = Field(min_length=10, max_length=10000, description="理由及会议记录")


class Note(_Payload):
    note: str = Field(default="", max_length=2000, description="备注")


def _for(event: str, check):
    """The event applies to its kind of step only; then the event's own rule about who."""
    kinds = EVENT_ACTIONS[event] if isinstance(EVENT_ACTIONS[event], tuple) else (EVENT_ACTIONS[event],)

    def may(session, actor, step, now):
        if step.action not in kinds:
            return Refused("refused.assessment.does_not_apply_step", event=event, action=step.action)
        return check(session, actor, step, now)
    return may


def _own_step(session, actor: Actor, step: LadderStep, now):
    return None if actor.user_id == step.user_id else Refused("refused.assessment.only_judge_concerned_files_explanation")


def _not_own_step(session, actor: Actor, step: LadderStep, now):
    return Refused("refused.assessment.nobody_reviews_their_own_explanation") if actor.user_id == step.user_id else None


def _acting_role(session, actor: Actor, step: LadderStep, now):
    role = ACTING_ROLE.get(step.action)
    if role and role not in actor.roles_at(step.court_id, court_path(session, step.court_id), step.division_id):
        return Refused("refused.assessment.role", action=step.action, role=role)
    return _not_own_step(session, actor, step, now)


def _today(session, step, now) -> dict:
    return {"today": local_date(now)}


def _file(cmd, step: LadderStep, action: str, title: str, detail: dict) -> None:
    record_in_dossier(cmd.session, at=cmd.now, user_id=step.user_id, on=local_date(cmd.now), kind=action,
                      title=f"{title}：{step_title(step)}", ref_kind="ladder_steps", ref_id=step.id,
                      dedupe_key=f"dossier:ladder_step:{step.id}:{action}:v{step.version}", detail=detail)


def _tell(cmd, step: LadderStep, user_ids, what: str, note: str = "") -> None:
    enqueue(cmd.session, kind="ladder_step", recipients=[u for u in user_ids if u], at=cmd.now,
            dedupe_key=f"ladder_step:{step.id}:{what}:v{step.version}", court_id=step.court_id,
            subject_kind="ladder_steps", subject_id=step.id,
            context={"step_id": step.id, "label": step.label, "period": step.period, "due_on": step.due_on,
                     "action": step.action, "judge_id": step.user_id, "note": note})


def _add_task(cmd, step: LadderStep, kind: str, title: str, *, due_on, user_id=None, role=None) -> None:
    cmd.session.add(Task(**{k: v for k, v in task_row(step, kind, title, cmd.now, user_id=user_id, role=role,
                                                       due_on=due_on, suffix=f":v{step.version}").items()}))


def _filed(cmd, step: LadderStep, data: FileExplanation) -> None:
    step.explanation, step.measures = data.explanation, data.measures
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id, kinds=("file_explanation",),
                actor=cmd.actor, at=cmd.now)
    due = calendar(cmd.session, step.court_id).add_working_days(local_date(cmd.now), REVIEW_DAYS).date
    _add_task(cmd, step, "review_explanation", "审核书面说明", due_on=due, role="division_chief")
    _tell(cmd, step, holders(cmd.session, "division_chief", step.court_id, step.division_id, on=local_today(cmd.now)), "filed", "书面说明已提交，请审核")
    _file(cmd, step, "explanation_filed", "提交书面说明", {"explanation": data.explanation, "measures": data.measures})


def _accepted(cmd, step: LadderStep, data: Review) -> None:
    step.review_note = data.note
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id, kinds=("review_explanation",),
                actor=cmd.actor, at=cmd.now)
    _tell(cmd, step, [step.user_id], "accepted", "书面说明已审核通过")
    _file(cmd, step, "explanation_reviewed", "书面说明审核通过", {"note": data.note, "by": cmd.actor.display_name})


def _returned(cmd, step: LadderStep, data: ReturnForRevision) -> None:
    step.review_note = data.reason
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id, kinds=("review_explanation",),
                actor=cmd.actor, at=cmd.now)
    due = calendar(cmd.session, step.court_id).add_working_days(local_date(cmd.now), REVIEW_DAYS).date
    _add_task(cmd, step, "file_explanation", "重新提交书面说明", due_on=due, user_id=step.user_id)
    _tell(cmd, step, [step.user_id], "returned", f"书面说明被退回：{data.reason}")


def _scheduled(cmd, step: LadderStep, data: Schedule) -> None:
    step.scheduled_for, step.place = data.on, data.place
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id,
                kinds=("schedule_interview", "schedule_admonishment"), actor=cmd.actor, at=cmd.now)
    _add_task(cmd, step, "record_minutes", "记录谈话", due_on=data.on, role=ACTING_ROLE[step.action])
    _tell(cmd, step, [step.user_id], "scheduled", f"谈话时间 {data.on}，地点 {data.place}")


def _minutes(cmd, step: LadderStep, data: Minutes) -> None:
    step.minutes = data.minutes
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id, kinds=("record_minutes",),
                actor=cmd.actor, at=cmd.now)
    _file(cmd, step, f"{step.action}_minutes", "谈话记录",
          {"on": step.scheduled_for.isoformat() if step.scheduled_for else None, "place": step.place,
           "minutes": data.minutes, "by": cmd.actor.display_name})


def _decided(cmd, step: LadderStep, data: Decide) -> None:
    step.outcome, step.minutes = data.outcome, data.minutes
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id, kinds=("committee_consideration",),
                actor=cmd.actor, at=cmd.now)
    if data.outcome == "open_exit":  # a refusal of the quota-exit work refuses the decision (rolled back, traced)
        step.exit_proceeding_id = open_exit(cmd.session, step, grounds_text=data.minutes, opened_by=cmd.actor,
                                            now=cmd.now, source=f"committee:{step.dedupe_key}")
    _file(cmd, step, "committee_decision", "考评委员会研究结论", {"outcome": data.outcome, "reasons": data.minutes})


def _observation(cmd, step: LadderStep, data: Note) -> None:
    close_tasks(cmd.session, subject_kind="ladder_steps", subject_id=step.id, kinds=("start_observation",),
                actor=cmd.actor, at=cmd.now)
    _tell(cmd, step, [step.user_id], "observing", data.note or "观察期开始，期内完成任务即终止退出程序")
    _file(cmd, step, "observation_started", "启动观察期", {"note": data.note})


def step_public(step: LadderStep) -> dict:
    return {"title": step_title(step), "judge_id": step.user_id, "ladder": step.ladder,
            "step": step.step, "action": step.action, "period": step.period, "opened_on": step.opened_on,
            "due_on": step.due_on, "explanation": step.explanation, "measures": step.measures,
            "review_note": step.review_note, "scheduled_for": step.scheduled_for, "place": step.place,
            "minutes": step.minutes, "outcome": step.outcome, "exit_proceeding_id": step.exit_proceeding_id}


CHIEFS = LEADERS


def sees(session, actor: Actor, step: LadderStep) -> bool:
    """Need to know: whoever reads about the judge (services/kernel/need_to_know.py), and the committee that decides."""
    judge = session.get(User, step.user_id)
    if judge is not None and reads_person(session, actor, judge):
        return True
    return "committee" in actor.roles_at(step.court_id, court_path(session, step.court_id), step.division_id)


def sees_where(session, actor: Actor):
    """sees in SQL."""
    return or_(LadderStep.user_id.in_(persons_read(actor)),
               actor.covering(LadderStep.court_id, LadderStep.division_id, {"committee"}))


LADDER_STEPS = SubjectKind(
    name="ladder_steps", model=LadderStep, machine=LadderStepMachine, public=step_public,
    title=step_title, sees=sees, sees_where=sees_where,
    events={
        "file_explanation": EventSpec("file_explanation", frozenset({"judge"}),
                                      FileExplanation, may=_for("file_explanation", _own_step), apply=_filed),
        "accept": EventSpec("accept", frozenset({"division_chief"}), Review, may=_for("accept", _not_own_step),
                            apply=_accepted),
        "return_for_revision": EventSpec("return_for_revision",
                                         frozenset({"division_chief"}), ReturnForRevision, may=_for("return_for_revision", _not_own_step),
                                         apply=_returned),
        "schedule": EventSpec("schedule", CHIEFS, Schedule, may=_for("schedule", _acting_role),
                              apply=_scheduled, facts=_today),
        "record_minutes": EventSpec("record_minutes", CHIEFS, Minutes,
                                    may=_for("record_minutes", _acting_role), apply=_minutes),
        "decide": EventSpec("decide", frozenset({"committee"}), Decide,
                            may=_for("decide", _acting_role), apply=_decided),
        "start_observation": EventSpec("start_observation",
                                       frozenset({"president"}), Note, may=_for("start_observation", _acting_role), apply=_observation),
    },
)


def ladder_picture(session, step_id: int) -> dict:
    """Where this step stands on its ladder: the ladder's name and rungs in order (label, the condition that opens
    it, the role acting), this rung marked, and the rungs already opened for the same judge."""
    step = session.get(LadderStep, step_id)
    ladder = policy(session, step.court_id, f"ladder_{step.ladder}")
    opened = set(session.exec(select(LadderStep.step).where(LadderStep.user_id == step.user_id,
                                                              LadderStep.ladder == step.ladder)).all())
    rungs = [{"key": s.key, "label": s.label, "when": s.when.model_dump(exclude_none=True), "role": s.action.role,
              "mark": "current" if s.key == step.step else "passed" if s.key in opened else ""}
             for s in ladder.steps]
    return {"name": ladder.name, "rungs": rungs}
