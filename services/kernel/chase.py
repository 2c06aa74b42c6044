"""挂账督办: the one sweep that chases every open task with a due date (SPEC §1.1, issue 17).

For each kind of task, its rule in monitoring.yaml `chase` (a kind not named there follows `default`):
a reminder before the due date, an overdue notice the day after it, a supervision task for the holder's
superior some days later, a second one for the superior's superior after more days; or, for a
supervision duty left overdue, a lapse recorded against its holder (怠于履行). Each stage happens once
per task: the task's `chase_stage` says how far it went (`escalation_level` how often it went up), and
every row written has a unique dedupe key, so a second run the same day adds nothing.

It is the one chase of the lifecycles' due dates too (有信必复, the review stages, the committee's exit
windows, the four-type report): a rule may also tell other roles at the task's place at a stage
(`also_told`), mark a task as a window of its holder's right (`right`: reminded at most, never overdue), and
a lifecycle may add what an escalation does besides the notices (`Registry.add_chase_effect`) and whom its
tasks' notices by role never reach (`Registry.add_unseen`: the person a petition names).

Set-based: per group of places sharing a monitoring policy (courts; a division with its own override apart), one
INSERT … SELECT per stage for every kind at once (each kind's days a condition inside the stage's index range over
(state, chase_stage, due_on)), then one UPDATE moving those tasks on.
"""
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, literal, null, or_, select, true, update
from sqlalchemy.orm import aliased

from policies.monitoring import Chase, ChaseRule, MonitoringPolicy
from services.kernel.lapses import file_lapses_in_dossiers
from services.kernel.policy import Scope
from services.kernel.registry import current
from store.bulk import insert_select_ignoring_duplicates, json_object, text_of
from store.models import Notice, RoleGrant, SupervisionLapse, Task, User
from store.recipients import in_force

NOTICE_COLUMNS = ["dedupe_key", "kind", "recipient_user_id", "court_id", "subject_kind", "subject_id", "context",
                  "state", "attempts", "next_attempt_at", "created_at", "last_error"]
SUPERVISION_COLUMNS = ["kind", "title", "subject_kind", "subject_id", "court_id", "division_id", "assignee_user_id",
                       "assignee_role", "due_on", "state", "dedupe_key", "escalation_level", "context", "created_at",
                       "version", "priority", "chase_stage", "escalates_task_id"]
LAPSE_COLUMNS = ["user_id", "court_id", "division_id", "kind", "title", "task_id", "chased_task_id", "due_on",
                 "recorded_on", "detail", "dedupe_key", "created_at"]
REMINDED, OVERDUE, ESCALATED, CHASED = 1, 2, 3, 9
"""`Task.chase_stage`: reminded; overdue noticed (and waiting for an escalation or a lapse); escalated once (and
waiting for the second); nothing more to do. Each stage's statement reads only its own stage on the
(state, chase_stage, due_on) index, so the tasks chased to the end cost nothing on later days."""
IGNORED_SUPERVISION = "ignored_supervision"
"""The lapse of a leader who left a supervision task overdue."""


def chase_tasks(session, result, policy: MonitoringPolicy, as_of: date, now: datetime, scope: Scope) -> None:
    """The daily monitor's policy sweep: every stage for this group of places (a task with no division is its
    court's); the counts go into `result.extra`
    (task_reminders, tasks_overdue, task_escalations, supervision_lapses) and the first escalations per task
    kind into `result.escalations_by_kind`."""
    close_supervision_of_finished(session, now)
    chase = policy.chase
    base = and_(Task.state == "open", Task.due_on.is_not(None), scope.where(Task.court_id, Task.division_id))
    counts = Counter(task_reminders=_remind(session, base, chase, as_of, now),
                     tasks_overdue=_overdue(session, base, chase, as_of, now))
    for level in (1, 2):
        counts["task_escalations"] += _escalate(session, base, chase, level, as_of, now, result.escalations_by_kind)
    counts["supervision_lapses"] = _lapse(session, base, chase, as_of, now)
    file_lapses_in_dossiers(session, as_of)
    for name, n in counts.items():
        result.extra[name] = result.extra.get(name, 0) + n


def _rules(chase: Chase):
    """(SQL condition on the task's kind, rule): each named kind, then every other kind under the default."""
    named = list(chase.kinds)
    for kind in named:
        yield Task.kind == kind, chase.kinds[kind]
    yield (Task.kind.not_in(named) if named else true()), chase.default


def _by_kind(chase: Chase, days_of) -> tuple[list[tuple], int | None]:
    """[(kind condition, rule, days)] for the rules `days_of` gives a number of days, and the smallest of them.
    One statement per stage serves every kind: the smallest bounds the index range, each kind's own days
    filter inside it."""
    found = [(cond, rule, days_of(rule)) for cond, rule in _rules(chase) if days_of(rule) is not None]
    return found, min((d for *_, d in found), default=None)


def _at_place(role, on: date):
    """Grants of `role` in force on the court day `on` to an active person in the task's court, court-wide or
    for the task's division (a court-wide task: any division) — who a task offered to a role, or escalated,
    reaches. Joined straight on the grants' (court, role) index."""
    return and_(RoleGrant.role == role, RoleGrant.court_id == Task.court_id,
                or_(RoleGrant.division_id.is_(None), Task.division_id.is_(None),
                    RoleGrant.division_id == Task.division_id),
                in_force(on), exists().where(User.id == RoleGrant.user_id, User.active.is_(True)))


def _task_context(session, **extra):
    return json_object(session, title=Task.title, due_on=text_of(Task.due_on), task_id=Task.id,
                       priority=Task.priority, **extra)


def _seen():
    """A person reached through a role grant is not the one the task's subject keeps its tasks from (the person
    a petition names); lifecycles say who that is (`Registry.add_unseen`)."""
    unseen = current().unseen
    if not unseen:
        return true()
    person = case(*[(Task.subject_kind == kind, of()) for kind, of in unseen.items()], else_=null())
    return or_(person.is_(None), RoleGrant.user_id != person)


def _also_told(chase: Chase, stage: str):
    """(kind condition, role) for each role a rule tells at `stage` besides the task's holder."""
    for cond, rule in _rules(chase):
        for role in getattr(rule.also_told, stage):
            yield cond, role


def _notice_rows(session, stage: str, kind: str, where, as_of: date, now, also=(), ctx=None,
                 holder: bool = True) -> int:
    """One notice to the task's person, or to each holder on `as_of` of the role it is offered to (unless not
    `holder`); and to each holder of the roles `also` names for the task's kind, at its place. One key per
    (stage, task, person): told once."""
    key = literal(f"chase:{stage}:") + text_of(Task.id) + literal(":u")
    ctx = _task_context(session) if ctx is None else ctx

    def row(user):
        return select(key + text_of(user), literal(kind), user, Task.court_id, Task.subject_kind, Task.subject_id, ctx,
                      literal("pending"), literal(0), literal(now), literal(now), literal(""))

    def by_role(role, *more):
        return (row(RoleGrant.user_id).select_from(Task).join(RoleGrant, _at_place(role, as_of))
                .where(where, _seen(), *more))

    person = row(Task.assignee_user_id).where(where, Task.assignee_user_id.is_not(None))
    rows = [person, by_role(Task.assignee_role, Task.assignee_user_id.is_(None))] if holder else []
    kinds_telling: dict[str, list] = {}
    for cond, role in also:
        kinds_telling.setdefault(role, []).append(cond)
    rows += [by_role(literal(role), or_(*conds)) for role, conds in kinds_telling.items()]  # one per role
    return sum(insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, s, ["dedupe_key"]) for s in rows)


def _move(session, where, **values) -> None:
    session.exec(update(Task).where(where).values(**values).execution_options(synchronize_session=False))


def _remind(session, base, chase: Chase, as_of: date, now: datetime) -> int:
    rules, _ = _by_kind(chase, lambda r: r.remind_days_before)
    if not rules:
        return 0
    longest = max(d for *_, d in rules)
    where = and_(base, Task.chase_stage == 0, Task.due_on >= as_of, Task.due_on <= as_of + timedelta(days=longest),
                 or_(*[and_(cond, Task.due_on <= as_of + timedelta(days=d)) for cond, _, d in rules]))
    added = _notice_rows(session, "remind", "task_due_soon", where, as_of, now, _also_told(chase, "remind"))
    _move(session, where, chase_stage=REMINDED)
    return added


def _overdue(session, base, chase: Chase, as_of: date, now: datetime) -> int:
    """The day after the due date: the holder hears (and the roles the rule also tells); the task waits for its
    escalation or lapse, if any. A right's window is not overdue: the chase is done with it."""
    where = and_(base, Task.chase_stage.in_((0, REMINDED)), Task.due_on < as_of)
    rights = [cond for cond, rule in _rules(chase) if rule.right]
    duties = and_(where, *[~cond for cond in rights])
    added = _notice_rows(session, "overdue", "task_overdue", duties, as_of, now, _also_told(chase, "overdue"))
    more = [(cond, OVERDUE if rule.escalate_after_days is not None or rule.lapse_after_days is not None else CHASED)
            for cond, rule in _rules(chase)]
    _move(session, where, chase_stage=case(*more))
    return added


def _target(chase: Chase, rule: ChaseRule, level: int):
    """The role a task goes up to at `level`: the rule's, else the superior of the role it is held under."""
    first = rule.escalate_to
    if level == 1:
        return literal(first) if first else _superior_of(chase, lambda role: chase.superior(role))
    if rule.second_escalate_to:
        return literal(rule.second_escalate_to)
    if first:
        return literal(chase.superior(first))
    return _superior_of(chase, lambda role: chase.superior(chase.superior(role)))


def _superior_of(chase: Chase, pick):
    mapping = {role: pick(role) for role in chase.superiors if pick(role)}
    return case(mapping, value=func.coalesce(Task.assignee_role, literal("judge")), else_=null())


def _escalation_days(rule: ChaseRule, level: int) -> int | None:
    if rule.escalate_after_days is None or (level == 2 and rule.second_escalate_after_days is None):
        return None
    return rule.escalate_after_days + (rule.second_escalate_after_days if level == 2 else 0)


def _escalate(session, base, chase: Chase, level: int, as_of: date, now: datetime, by_kind: dict) -> int:
    """A supervision task (and an urgent notice) for each holder of the superior role at the task's place;
    nobody holding it there: the task is offered to the role. `by_kind` counts the first escalations."""
    rules, soonest = _by_kind(chase, lambda r: _escalation_days(r, level))
    if not rules:
        return 0
    target = case(*[(cond, _target(chase, rule, level)) for cond, rule, _ in rules], else_=null())
    where = and_(base, Task.chase_stage == (OVERDUE if level == 1 else ESCALATED),
                 Task.due_on < as_of - timedelta(days=soonest),
                 or_(*[and_(cond, Task.due_on < as_of - timedelta(days=d)) for cond, _, d in rules]),
                 target.is_not(None))
    if level == 1:
        for kind, n in session.exec(select(Task.kind, func.count()).where(where).group_by(Task.kind)).all():
            by_kind[kind] = by_kind.get(kind, 0) + n
    holder_key = literal(f"chase:escalate{level}:") + text_of(Task.id) + literal(":u") + func.coalesce(
        text_of(RoleGrant.user_id), literal("-"))
    ctx = _task_context(session, level=literal(level), escalated_task_id=Task.id,
                        held_by=Task.assignee_user_id, role=Task.assignee_role)
    kind_of = case(*[(cond, literal(rule.escalation_kind)) for cond, rule, _ in rules])
    due_of = case(*[(cond, literal(as_of + timedelta(days=rule.escalation_due_days))) for cond, rule, _ in rules])
    tasks = (select(kind_of, literal(f"督办逾期事项（{level}级）：") + Task.title, Task.subject_kind,
                    Task.subject_id, Task.court_id,
                    case((target == literal("division_chief"), Task.division_id), else_=null()),
                    RoleGrant.user_id, target,
                    due_of, literal("open"), holder_key, literal(0), ctx, literal(now), literal(1), literal("urgent"),
                    literal(0), Task.id)
             .select_from(Task).outerjoin(RoleGrant, _at_place(target, as_of)).where(where))
    added = insert_select_ignoring_duplicates(session, Task, SUPERVISION_COLUMNS, tasks, ["dedupe_key"])
    notices = (select(holder_key, literal("task_escalated"), RoleGrant.user_id, Task.court_id, Task.subject_kind,
                      Task.subject_id, ctx, literal("pending"), literal(0), literal(now), literal(now), literal(""))
               .select_from(Task).join(RoleGrant, _at_place(target, as_of)).where(where, _seen()))
    insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, notices, ["dedupe_key"])
    if level == 1:
        _notice_rows(session, "escalate1", "task_escalated", where, as_of, now,
                     list(_also_told(chase, "escalate")), ctx, holder=False)
    _lifecycle_effects(session, where, level, as_of, now)
    after = (case(*[(cond, ESCALATED if _escalation_days(rule, 2) is not None else CHASED) for cond, rule, _ in rules])
             if level == 1 else CHASED)
    session.exec(update(Task).where(where).values(escalation_level=level, chase_stage=after,
                                                  version=Task.version + 1)
                 .execution_options(synchronize_session=False))
    return added


def _lifecycle_effects(session, where, level: int, as_of: date, now: datetime) -> None:
    """What the task's lifecycle does besides the notices when one of its tasks goes up (e.g. the exit
    proceeding's record of a committee window left overdue): once, with the tasks escalated at this level."""
    effects = current().chase_effects
    if not effects:
        return
    rows = session.exec(select(Task.kind, Task.id, Task.subject_id, Task.due_on)
                        .where(where, Task.kind.in_(list(effects))).order_by(Task.id)).all()
    by_kind: dict[str, list] = {}
    for kind, *task in rows:
        by_kind.setdefault(kind, []).append(tuple(task))
    for kind, tasks in by_kind.items():
        effects[kind](session, tasks, level, as_of, now)


def _lapse(session, base, chase: Chase, as_of: date, now: datetime) -> int:
    """A supervision duty left open past its overdue day (plus the rule's days): 怠于履行 of whoever holds it."""
    rules, soonest = _by_kind(chase, lambda r: r.lapse_after_days)
    if not rules:
        return 0
    where = and_(base, Task.chase_stage == OVERDUE, Task.due_on < as_of - timedelta(days=soonest),
                 or_(*[and_(cond, Task.due_on < as_of - timedelta(days=d)) for cond, _, d in rules]))
    leader = func.coalesce(Task.assignee_user_id, RoleGrant.user_id)
    detail = json_object(session, task_title=Task.title, level=Task.escalation_level)
    stmt = (select(leader, Task.court_id, Task.division_id, literal(IGNORED_SUPERVISION),
                   literal("怠于履行督办职责：") + Task.title, Task.id, Task.escalates_task_id, Task.due_on,
                   literal(as_of), detail,
                   literal("lapse:task:") + text_of(Task.id) + literal(":u") + text_of(leader), literal(now))
            .select_from(Task)
            .outerjoin(RoleGrant, and_(Task.assignee_user_id.is_(None), _at_place(Task.assignee_role, as_of)))
            .where(where, leader.is_not(None)))
    added = insert_select_ignoring_duplicates(session, SupervisionLapse, LAPSE_COLUMNS, stmt, ["dedupe_key"])
    _move(session, where, chase_stage=CHASED)
    return added


def close_supervision_of_finished(session, now: datetime, task_ids: list[int] | None = None) -> None:
    """A supervision task is done when the task it chases is no longer open (all, or those of `task_ids`)."""
    chased = aliased(Task)
    finished = exists().where(chased.id == Task.escalates_task_id, chased.state != "open")
    where = [Task.state == "open", Task.escalates_task_id.is_not(None), finished]
    if task_ids is not None:
        if not task_ids:
            return
        where.append(Task.escalates_task_id.in_(task_ids))
    session.exec(update(Task).where(*where).values(state="done", done_at=now, version=Task.version + 1)
                 .execution_options(synchronize_session=False))
