"""员额退出 (SPEC §6): opening a quota-exit proceeding on any of its paths, and the subject kind
`exit_proceedings` through which every later step is fired (services/kernel/engine.fire).

Contract C2 (docs/contracts.md): `open_exit_proceeding` is what the assessment
ladder calls, inside its own transaction, to open a mandatory exit; the same `source` opens once.
"""
from datetime import datetime

from pydantic import Field
from sqlmodel import Session, select

from services.quota_exit import due_process as exit_due_process, requests as exit_requests
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.quota_exit.labels import in_chinese
from services.quota_exit.notices import notify_exit
from services.quota_exit.steps import dossier, roles_at_court, sees, sees_where, task
from services.kernel.invariants import database_rules
from services.kernel.policy import policy
from services.kernel.record import record, record_refusal
from store.recipients import holders, parent_court_id
from services.kernel.subjects import Payload, SubjectKind
from services.kernel.bounds import Id
from services.kernel.access import court_path
from statemachines.quota_exit import DueProcessMachine, ExitRequestMachine
from store.db import lock_row
from store.jsonable import row_snapshot
from store.models import ExitProceeding, User

OPEN_STATES = {"mandatory": "opened", "natural": "recorded", "application": "applied"}
FIRST_TASK = {"mandatory": ("exit_notify", "告知员额退出理由和证据", "personnel"),
              "natural": ("exit_approve", "审批员额自然退出", "committee"),
              "application": ("exit_approve", "审批员额退出申请", "committee")}


def _command(session: Session, actor: Actor, now: datetime):
    from services.kernel.access import Command

    return Command(session, actor, now)


def _open(session: Session, *, judge_id: int, path: str, ground: str, grounds_text: str, actor: Actor,
          now: datetime, source: str, checks: dict | None = None) -> int:
    """Add the proceeding in its first state, traced, with its first task and notices; once per source.

    The judge's row is locked first, so two openings at once cannot both pass the checks below
    (uq_exit_running and the unique source back them)."""
    judge = session.get(User, judge_id)
    if judge is None:
        raise NotFound("not_found.quota_exit.judge_not_found", judge_id=judge_id)
    lock_row(session, judge)
    existing = session.exec(select(ExitProceeding.id).where(ExitProceeding.source == source)).first()
    if existing is not None:
        return existing
    _check_opening(session, judge, path)
    row = ExitProceeding(judge_id=judge.id, court_id=judge.court_id, division_id=judge.division_id,
                         higher_court_id=parent_court_id(session, judge.court_id), path=path, ground=ground,
                         grounds_text=grounds_text, source=source, state=OPEN_STATES[path],
                         opened_by=actor.user_id, opened_on=local_today(now), checks=checks or {})
    session.add(row)
    session.flush()
    cmd = _command(session, actor, now)
    record(session, actor, "exit_proceedings.open", at=now, subject_kind="exit_proceedings", subject_id=row.id,
           court_id=row.court_id, why=grounds_text, after=row_snapshot(row))
    kind, title, role = FIRST_TASK[path]
    task(cmd, row, kind, title, role=role)
    notify_exit(cmd, "exit_opened", holders(session, role, row.court_id, on=local_today(now)), f"exit_opened:{row.id}", row,
                grounds_text=grounds_text, ground_zh=in_chinese("exit_ground", ground))
    dossier(cmd, row, "opened", f"员额退出：{in_chinese('exit_ground', ground)}", path=path, ground=ground)
    return row.id


def _check_opening(session: Session, judge: User, path: str) -> None:
    """One proceeding running per judge (uq_exit_running)."""
    if not judge.is_quota_judge:
        raise Refused("refused.quota_exit.not_quota_judge", display_name=judge.display_name)
    running = session.exec(select(ExitProceeding.id).where(
        ExitProceeding.judge_id == judge.id, ExitProceeding.closed_on.is_(None))).first()
    if running is not None:
        raise Refused("refused.quota_exit.quota_exit_proceeding_already_running", display_name=judge.display_name, running=running)


def _ground_of(session: Session, judge_id: int, ground: str, path: str) -> None:
    judge = session.get(User, judge_id)
    rules = policy(session, judge.court_id, "quota_exit") if judge else None
    if rules is None or rules.ground_path(ground) != path:
        known = (rules.grounds.mandatory if path == "mandatory" else rules.grounds.natural) if rules else []
        raise Invalid("ground", "invalid.quota_exit.not_ground", ground=ground, path=path, known=', '.join(known))


def open_exit_proceeding(session: Session, *, judge_id: int, ground: str, grounds_text: str, opened_by: Actor,
                         now: datetime, source: str) -> int:
    """C2: open a mandatory (due-process) quota exit, e.g. ground "assessment_failure", in state `opened`,
    traced, with a task for personnel to notify the judge. Opening twice with the same `source` returns the
    same proceeding id. Raises Invalid for an unknown ground, Refused when the judge is not in the quota or
    already has a proceeding running."""
    _ground_of(session, judge_id, ground, "mandatory")
    return _open(session, judge_id=judge_id, path="mandatory", ground=ground, grounds_text=grounds_text,
                 actor=opened_by, now=now, source=source)


def record_natural_exit(session: Session, *, judge_id: int, ground: str, grounds_text: str, recorded_by: Actor,
                        now: datetime, source: str) -> int:
    """A natural exit (retirement, resignation, …) recorded by personnel; it takes effect on approval."""
    _ground_of(session, judge_id, ground, "natural")
    return _open(session, judge_id=judge_id, path="natural", ground=ground, grounds_text=grounds_text,
                 actor=recorded_by, now=now, source=source)


def apply_for_exit(session: Session, *, judge: Actor, reason: str, now: datetime, source: str) -> int:
    """The judge's own application, checked against the policy before the committee decides."""
    from services.quota_exit.requests import application_checks

    row = session.get(User, judge.user_id)
    if row is None:
        raise NotFound("not_found.quota_exit.no_such_judge")
    checks = application_checks(session, row, row.court_id, local_today(now))
    return _open(session, judge_id=row.id, path="application", ground="application", grounds_text=reason,
                 actor=judge, now=now, source=source, checks=checks)


class ExitOpen(Payload):
    """What personnel (natural, mandatory) or the judge (application) files to open an exit."""
    path: str = Field(pattern="^(natural|application|mandatory)$", description="natural, application or mandatory")
    judge_id: Id | None = Field(default=None, description="the judge (an application is always the caller's own)")
    ground: str = Field(default="application", max_length=64, description="退出事由")
    grounds_text: str = Field(min_length=2, max_length=5000, description="理由")
    source: str | None = Field(default=None, max_length=200, description="idempotency key; the same key opens once")


def start(db, actor: Actor, data: ExitOpen, now: datetime) -> int:
    """Open an exit from the API or a page: personnel of the judge's court, or the judge applying; refusals traced."""
    try:
        with database_rules(), db.write() as session:
            return _start(session, actor, data, now)
    except Refused as refusal:
        record_refusal(db, actor, f"exit_proceedings.open_{data.path}", refusal.reason, at=now,
                       subject_kind="exit_proceedings")
        raise


def _start(session: Session, actor: Actor, data: ExitOpen, now: datetime) -> int:
    source = data.source or f"{data.path}:{actor.username}:{now.isoformat()}"
    if data.path == "application":
        if "judge" not in actor.roles or (data.judge_id not in (None, actor.user_id)):
            raise Refused("refused.quota_exit.only_judge_applies_leave_quota_themself")
        return apply_for_exit(session, judge=actor, reason=data.grounds_text, now=now, source=source)
    if not data.judge_id:
        raise Invalid("judge_id", "invalid.quota_exit.name_judge_whose_exit")
    judge = session.get(User, data.judge_id)
    if judge is None or not actor.can_see(judge.court_id, court_path(session, judge.court_id), judge.division_id):
        raise NotFound("not_found.quota_exit.judge_not_found", judge_id=data.judge_id)  # another court's judge looks absent, not refused
    if "personnel" not in roles_at_court(session, actor, judge.court_id, judge.division_id):
        raise Refused("refused.quota_exit.only_personnel_judge_court_record_natural")
    opener = record_natural_exit if data.path == "natural" else open_exit_proceeding
    kwargs = {"recorded_by" if data.path == "natural" else "opened_by": actor}
    return opener(session, judge_id=judge.id, ground=data.ground, grounds_text=data.grounds_text, now=now,
                  source=source, **kwargs)


def exit_public(row: ExitProceeding) -> dict:
    return {"judge_id": row.judge_id, "court_id": row.court_id, "division_id": row.division_id,
            "higher_court_id": row.higher_court_id, "path": row.path, "ground": row.ground,
            "grounds_text": row.grounds_text, "opened_on": row.opened_on, "checks": row.checks,
            "override_reason": row.override_reason, "notified_on": row.notified_on,
            "hearing_requested": row.hearing_requested, "hearing_held_on": row.hearing_held_on,
            "waived_on": row.waived_on, "decision": row.decision, "decision_reason": row.decision_reason,
            "observation_months": row.observation_months, "decided_on": row.decided_on, "served_on": row.served_on,
            "reconsideration_outcome": row.reconsideration_outcome, "reconsidered_on": row.reconsidered_on,
            "higher_review_outcome": row.higher_review_outcome, "standing_outcome": row.standing_outcome,
            "left_quota_on": row.left_quota_on, "restored_on": row.restored_on, "closed_on": row.closed_on}


def _machine(row: ExitProceeding) -> type:
    """The due process for a mandatory exit; the simpler request path for a natural exit or an application."""
    return DueProcessMachine if row.path == "mandatory" else ExitRequestMachine


def _machine_where(machine: type):
    """_machine in SQL: the rows that move with `machine`."""
    due = ExitProceeding.path == "mandatory"
    return due if machine is DueProcessMachine else ~due


EXIT_PROCEEDINGS = SubjectKind(
    name="exit_proceedings", model=ExitProceeding, machine=_machine, variants=(DueProcessMachine, ExitRequestMachine),
    public=exit_public, title=lambda r: f"员额退出 #{r.id}",
    scopes=lambda r: [(r.court_id, r.division_id)] + ([(r.higher_court_id, None)] if r.higher_court_id else []),
    sees=sees, sees_where=sees_where, variant_where=_machine_where,
    events={e.name: e for e in exit_due_process.EVENTS + exit_requests.EVENTS},
)
