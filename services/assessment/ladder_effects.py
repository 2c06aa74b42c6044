"""What opening a ladder step does: its first task, the notices, the dossier record, the exit.

All in bulk for the steps a month's assessment opened (thousands of explanations in a
province), each row keyed so that a repeat adds nothing.
"""
from datetime import date, datetime

from sqlalchemy import select

from i18n.words import period_words
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Refused
from services.kernel.record import record
from statemachines.ladder_step import LadderStepMachine
from store.bulk import insert_many_ignoring_duplicates
from store.jsonable import jsonable
from store.models import DossierEntry, LadderStep, Notice, RoleGrant, Task, User
from store.recipients import in_force

ACTING_ROLE = {"interview": "division_chief", "admonishment": "president", "committee": "committee",
               "observation": "president"}
FIRST_TASK = {"explanation": ("file_explanation", "提交书面说明及整改措施"),
              "interview": ("schedule_interview", "安排约谈"), "admonishment": ("schedule_admonishment", "安排诫勉谈话"),
              "committee": ("committee_consideration", "研究员额退出"),
              "observation": ("start_observation", "告知并启动观察期")}
EXIT_TASK = ("open_exit_proceeding", "启动员额退出程序")


def _bulk(session, model, rows: list[dict], key: str) -> int:
    return insert_many_ignoring_duplicates(session, model, rows, [key])


def step_title(step: LadderStep) -> str:
    """书面说明及整改措施（2026年8月）: the rung's label (Chinese, from the ladder policy) and its period, written
    as the label is, since the title is stored once for every reader."""
    return f"{step.label}（{period_words(step.period, 'zh')}）"


def task_row(step: LadderStep, kind: str, title: str, now: datetime, *, user_id=None, role=None, due_on=None,
             suffix: str = "") -> dict:
    return dict(kind=kind, title=f"{title}：{step_title(step)}", subject_kind="ladder_steps",
                subject_id=step.id, court_id=step.court_id,
                division_id=step.division_id if role in (None, "division_chief") else None,
                assignee_user_id=user_id, assignee_role=role, due_on=due_on, state="open",
                dedupe_key=f"ladder_step:{step.id}:{kind}{suffix}", escalation_level=0,
                context={"judge_id": step.user_id, "period": step.period}, created_at=now, done_at=None, done_by=None,
                version=1)


def first_tasks(session, steps: list[LadderStep], now: datetime) -> int:
    rows = []
    for s in steps:
        if s.action == "explanation":
            rows.append(task_row(s, *FIRST_TASK["explanation"], now, user_id=s.user_id, due_on=s.due_on))
        elif s.action in ACTING_ROLE:
            rows.append(task_row(s, *FIRST_TASK[s.action], now, role=ACTING_ROLE[s.action], due_on=s.due_on))
    return _bulk(session, Task, rows, "dedupe_key")


def _role_holders(session, steps: list[LadderStep], on: date) -> dict[tuple, list[int]]:
    """(role, court, division) → user ids of the grants in force on `on`, in one query for the roles the steps need."""
    courts = {s.court_id for s in steps}
    grants = session.execute(select(RoleGrant.role, RoleGrant.court_id, RoleGrant.division_id, RoleGrant.user_id)
                             .join(User, User.id == RoleGrant.user_id)
                             .where(RoleGrant.court_id.in_(courts), User.active.is_(True), in_force(on))).all()
    by_place: dict[tuple, list[tuple]] = {}
    for role, court_id, division_id, user_id in grants:
        by_place.setdefault((role, court_id), []).append((division_id, user_id))
    found: dict[tuple, list[int]] = {}
    for s in steps:
        role = ACTING_ROLE.get(s.action) or ("personnel" if s.action == "mandatory_exit" else None)
        if role and (role, s.court_id, s.division_id) not in found:
            found[(role, s.court_id, s.division_id)] = sorted({
                u for d, u in by_place.get((role, s.court_id), []) if d in (None, s.division_id)})
    return found


def notify_opened(session, steps: list[LadderStep], now: datetime) -> int:
    """The judge hears of every step; the people who act on it hear of every step but the explanation
    (the division chief hears of an explanation when it is filed)."""
    holders = _role_holders(session, steps, local_today(now))
    rows = []
    for s in steps:
        context = jsonable({"step_id": s.id, "label": s.label, "period": s.period, "due_on": s.due_on,
                            "action": s.action, "judge_id": s.user_id})
        role = ACTING_ROLE.get(s.action) or ("personnel" if s.action == "mandatory_exit" else None)
        recipients = {s.user_id} | set(holders.get((role, s.court_id, s.division_id), []) if s.action != "explanation" else ())
        rows += [dict(dedupe_key=f"ladder_step:{s.id}:u{u}", kind="ladder_step", recipient_user_id=u,
                      court_id=s.court_id, subject_kind="ladder_steps", subject_id=s.id, context=context,
                      state="pending", attempts=0, next_attempt_at=now, created_at=now, last_error="")
                 for u in sorted(recipients)]
    return _bulk(session, Notice, rows, "dedupe_key")


def file_steps(session, steps: list[LadderStep], now: datetime) -> int:
    """Each opened step goes into the judge's dossier (一人一档)."""
    rows = [dict(user_id=s.user_id, year=s.opened_on.year, on=s.opened_on, kind=s.action,
                 title=step_title(s), ref_kind="ladder_steps", ref_id=s.id,
                 detail={"ladder": s.ladder, "step": s.step, "period": s.period},
                 dedupe_key=f"dossier:{s.dedupe_key}", created_at=now) for s in steps]
    return _bulk(session, DossierEntry, rows, "dedupe_key")


def open_exit(session, step: LadderStep, *, grounds_text: str, opened_by: Actor, now: datetime, source: str) -> int:
    """Open a mandatory quota-exit proceeding through the quota-exit work (docs/contracts.md, C2)."""
    from services.quota_exit.facts import open_exit_proceeding

    return open_exit_proceeding(session, judge_id=step.user_id, ground="assessment_failure", grounds_text=grounds_text,
                                opened_by=opened_by, now=now, source=source)


def system_event(session, step: LadderStep, event: str, now: datetime, why: str, **kw) -> None:
    """A step moved by the assessment itself, through its machine, traced."""
    before = {"state": step.state}
    LadderStepMachine(model=step, state_field="state").send(event, **kw)
    session.add(step)
    record(session, Actor.system(), f"ladder_steps.{event}", at=now, subject_kind="ladder_steps", subject_id=step.id,
           court_id=step.court_id, why=why, before=before, after={"state": step.state})


def open_exits(session, steps: list[LadderStep], now: datetime) -> int:
    """Open a mandatory quota-exit proceeding for each exit step (idempotent by the step's key).

    When the quota-exit work refuses (the judge has a proceeding running already, or has left the
    quota), the refusal is recorded on the step and traced, personnel get a task to look at it, and
    the month's assessment goes on."""
    opened = 0
    for s in (s for s in steps if s.action == "mandatory_exit"):
        why = step_title(s)
        try:
            with session.begin_nested():
                s.exit_proceeding_id = open_exit(session, s, grounds_text=why, opened_by=Actor.system(), now=now,
                                                 source=s.dedupe_key)
        except Refused as refusal:
            s.outcome = f"未能启动：{refusal.reason}"
            session.add(s)
            session.execute(Task.__table__.insert().values(task_row(s, *EXIT_TASK, now, role="personnel",
                                                                    due_on=s.due_on)))
            record(session, Actor.system(), "refused:ladder_steps.open_exit", at=now, subject_kind="ladder_steps",
                   subject_id=s.id, court_id=s.court_id, why=refusal.reason)
            continue
        system_event(session, s, "open_exit", now, why)
        _end_observations(session, s.user_id, "fail_observation", now, "观察期未达标")
        opened += 1
    return opened


def _end_observations(session, user_id: int, event: str, now: datetime, why: str) -> int:
    rows = session.execute(select(LadderStep).where(LadderStep.user_id == user_id, LadderStep.action == "observation",
                                                    LadderStep.state.in_(("open", "observing")))).scalars().all()
    for row in rows:
        system_event(session, row, event, now, why)
    return len(rows)


def settle_observations(session, recovered: list[int], steps: list[LadderStep], now: datetime) -> int:
    """An observation period ends passed when the judge meets the month's task."""
    users = session.execute(select(LadderStep.user_id).distinct().where(
        LadderStep.action == "observation", LadderStep.state.in_(("open", "observing")))).scalars().all()
    return sum(_end_observations(session, u, "pass_observation", now, "观察期内完成任务") for u in set(users) & set(recovered))
