"""加分、减分: bonus and deduction items as a subject (statemachines/score_item.py).

An item is one the policy names (assessment.yaml `qualitative.items`, with its points), entered for a
person with a reason and evidence by a role the policy lets enter them, and approved by the next level
up from the person: the division chief for the division's people, the president for a division chief or
vice president, the assessment committee for the president. Approval and objections each open a task
with a due date in the approver's inbox. Every step is traced (engine.fire) and filed in the person's
dossier. An approved item counts in the month of its approval (or of the committee's dismissal of the
objection): services/assessment/qualitative.month_inputs.
"""
from datetime import date, datetime

from pydantic import Field
from sqlalchemy import or_, select

from policies.roles import ROLES
from services.assessment.qualitative import month_assessed
from services.kernel.access import court_path
from services.kernel.actor import Actor
from services.kernel.bounds import Day, Id
from services.kernel.clock import local_date
from services.kernel.dossier import record_in_dossier
from services.kernel.engine import view
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.need_to_know import persons_read, reads_person
from services.kernel.policy import calendar, policy
from services.kernel.record import record
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.kernel.tasks import close_tasks, open_task
from statemachines.score_item import ScoreItemMachine
from store.models import RoleGrant, ScoreItem, User
from store.recipients import in_force
from store.outbox import enqueue

APPROVERS = frozenset({"division_chief", "vice_president", "president", "committee"})


class ItemEntry(Payload):
    user_id: Id = Field(description="考核对象")
    code: str = Field(min_length=1, max_length=64, description="加减分项目")
    occurred_on: Day = Field(description="发生日期")
    reason: str = Field(min_length=2, max_length=2000, description="事由")
    evidence: str = Field(min_length=2, max_length=2000, description="证据（文书号、材料名称或链接）")


class Decision(Payload):
    note: str = Field(default="", max_length=2000, description="意见")


class Objection(Payload):
    objection: str = Field(min_length=2, max_length=5000, description="异议理由")


def approver_role(session, person: User, on: date) -> str:
    """The next level up from the person, by the roles they hold on the court day `on`."""
    roles = set(session.execute(select(RoleGrant.role).where(RoleGrant.user_id == person.id, in_force(on))).scalars())
    if "president" in roles:
        return "committee"
    if roles & {"division_chief", "vice_president"} or person.division_id is None:
        return "president"
    return "division_chief"


def enter_item(db, actor: Actor, entry: ItemEntry, now: datetime) -> dict:
    """Enter an item for a person; it waits for the next level's approval (a task due in the policy's days)."""
    with db.write() as session:
        person = session.get(User, entry.user_id)
        if person is None or not actor.can_see(person.court_id, court_path(session, person.court_id),
                                               person.division_id):
            raise NotFound("not_found.assessment.person_not_found", user_id=entry.user_id)
        rules = policy(session, person.court_id, "assessment").qualitative
        if actor.user_id == person.id:
            raise Refused("refused.assessment.nobody_enters_own_item")
        if not actor.roles_at(person.court_id, court_path(session, person.court_id), person.division_id) \
                & set(rules.enter_roles):
            raise Refused("refused.assessment.items_entered_by", roles=",".join(rules.enter_roles))
        rule = rules.items.get(entry.code)
        if rule is None:
            raise Invalid("code", "invalid.assessment.unknown_score_item", code=entry.code, known=", ".join(rules.items))
        if entry.occurred_on > local_date(now):
            raise Invalid("occurred_on", "invalid.assessment.occurred_in_future", day=str(entry.occurred_on))
        item = ScoreItem(user_id=person.id, court_id=person.court_id, division_id=person.division_id, code=entry.code,
                         label=rule.label, points=rule.points, occurred_on=entry.occurred_on, reason=entry.reason,
                         evidence=entry.evidence, approver_role=approver_role(session, person, local_date(now)),
                         entered_by=actor.user_id, created_at=now)
        session.add(item)
        session.flush()
        _task(session, item, "approve_score_item", f"审批{_kind(item)}：{item.label}", item.approver_role,
              rules.approval_working_days, now)
        record(session, actor, "score_items.enter", at=now, subject_kind="score_items", subject_id=item.id,
               court_id=item.court_id, why=entry.reason, after=item_public(item))
        item_id = item.id
    return view(db, actor, "score_items", item_id, now)


def _kind(item: ScoreItem) -> str:
    return "加分" if item.points > 0 else "减分"


def _task(session, item: ScoreItem, kind: str, title: str, role: str, days: int, now: datetime) -> None:
    due = calendar(session, item.court_id).add_working_days(local_date(now), days).date
    open_task(session, kind=kind, title=title, subject_kind="score_items", subject_id=item.id, court_id=item.court_id,
              division_id=item.division_id if role == "division_chief" else None, assignee_role=role, due_on=due,
              at=now, dedupe_key=f"score_item:{item.id}:{kind}", context={"user_id": item.user_id})


def _file(cmd, item: ScoreItem, what: str, note: str) -> None:
    record_in_dossier(cmd.session, at=cmd.now, user_id=item.user_id, on=local_date(cmd.now), kind="score_item",
                      title=f"{_kind(item)}项目{what}：{item.label}（{item.points:+g}分）", ref_kind="score_items",
                      ref_id=item.id, dedupe_key=f"dossier:score_item:{item.id}:v{item.version}",
                      detail={"reason": item.reason, "evidence": item.evidence, "note": note,
                              "counts_in": item.counts_in, "by": cmd.actor.display_name})


def _tell(cmd, item: ScoreItem, what: str, note: str) -> None:
    """The person is told of each item that comes to count (or not), in their notice centre and channels."""
    enqueue(cmd.session, kind="score_item", recipients=[item.user_id], at=cmd.now, court_id=item.court_id,
            dedupe_key=f"score_item:{item.id}:{what}:v{item.version}", subject_kind="score_items", subject_id=item.id,
            context={"item_id": item.id, "label": item.label, "points": item.points, "what": what,
                     "counts_in": item.counts_in, "note": note})


def _approved(cmd, item: ScoreItem, data: Decision) -> None:
    item.decided_by, item.decided_on, item.decision_note = cmd.actor.user_id, local_date(cmd.now), data.note
    item.counts_in = item.decided_on.strftime("%Y-%m")
    close_tasks(cmd.session, subject_kind="score_items", subject_id=item.id, kinds=("approve_score_item",),
                actor=cmd.actor, at=cmd.now)
    _file(cmd, item, "经审批", data.note)
    _tell(cmd, item, "approved", data.note)


def _rejected(cmd, item: ScoreItem, data: Decision) -> None:
    item.decided_by, item.decided_on, item.decision_note = cmd.actor.user_id, local_date(cmd.now), data.note
    close_tasks(cmd.session, subject_kind="score_items", subject_id=item.id, kinds=("approve_score_item",),
                actor=cmd.actor, at=cmd.now)


def _objected(cmd, item: ScoreItem, data: Objection) -> None:
    item.objection, item.objected_on, item.counts_in = data.objection, local_date(cmd.now), None
    days = policy(cmd.session, item.court_id, "assessment").qualitative.objection_working_days
    _task(cmd.session, item, "decide_score_objection", f"{_kind(item)}项目异议：{item.label}", "committee", days, cmd.now)
    _file(cmd, item, "被提出异议", data.objection)


def _objection_decided(upheld: bool):
    def apply(cmd, item: ScoreItem, data: Decision) -> None:
        item.objection_decision = data.note
        item.counts_in = None if upheld else local_date(cmd.now).strftime("%Y-%m")
        close_tasks(cmd.session, subject_kind="score_items", subject_id=item.id, kinds=("decide_score_objection",),
                    actor=cmd.actor, at=cmd.now)
        _file(cmd, item, "异议成立，不予计分" if upheld else "异议不成立，维持计分", data.note)
        _tell(cmd, item, "upheld" if upheld else "dismissed", data.note)
    return apply


def _approver(session, actor: Actor, item: ScoreItem, now):
    if actor.user_id in (item.user_id, item.entered_by):
        return Refused("refused.assessment.item_approved_by_someone_else")
    roles = actor.roles_at(item.court_id, court_path(session, item.court_id), item.division_id)
    return None if item.approver_role in roles else Refused("refused.assessment.item_approved_by_role",
                                                            approver_role=item.approver_role)


def _the_person(session, actor: Actor, item: ScoreItem, now):
    return None if actor.user_id == item.user_id else Refused("refused.assessment.only_the_person_objects")


def _committee(session, actor: Actor, item: ScoreItem, now):
    return Refused("refused.assessment.nobody_decides_own_objection") if actor.user_id == item.user_id else None


def _counted(session, item: ScoreItem, now) -> dict:
    return {"counted": bool(item.counts_in) and month_assessed(session, item.user_id, item.counts_in)}


def item_public(item: ScoreItem) -> dict:
    return {"title": f"{_kind(item)}：{item.label}", "user_id": item.user_id, "code": item.code, "label": item.label,
            "points": item.points, "occurred_on": item.occurred_on, "reason": item.reason, "evidence": item.evidence,
            "approver_role": item.approver_role, "entered_by": item.entered_by, "decided_by": item.decided_by,
            "decided_on": item.decided_on, "decision_note": item.decision_note, "counts_in": item.counts_in,
            "objection": item.objection, "objected_on": item.objected_on,
            "objection_decision": item.objection_decision}


def sees(session, actor: Actor, item: ScoreItem) -> bool:
    """The person, whoever reads about them, whoever entered it, and the committee that decides objections."""
    person = session.get(User, item.user_id)
    if actor.user_id == item.entered_by or (person is not None and reads_person(session, actor, person)):
        return True
    return "committee" in actor.roles_at(item.court_id, court_path(session, item.court_id), item.division_id)


def sees_where(session, actor: Actor):
    """sees in SQL."""
    return or_(ScoreItem.entered_by == actor.user_id, ScoreItem.user_id.in_(persons_read(actor)),
               actor.covering(ScoreItem.court_id, ScoreItem.division_id, {"committee"}))


def _spec(name, roles, payload, may, apply, facts=None) -> EventSpec:
    return EventSpec(name, frozenset(roles), payload, may=may, apply=apply, facts=facts)


EVERYONE = frozenset(ROLES) - {"system"}
SCORE_ITEMS = SubjectKind(
    name="score_items", model=ScoreItem, machine=ScoreItemMachine, public=item_public,
    title=lambda i: f"{_kind(i)}：{i.label}", sees=sees, sees_where=sees_where,
    events={e.name: e for e in (
        _spec("approve", APPROVERS, Decision, _approver, _approved),
        _spec("reject", APPROVERS, Decision, _approver, _rejected),
        _spec("raise_objection", EVERYONE, Objection, _the_person, _objected, _counted),
        _spec("dismiss_objection", {"committee"}, Decision, _committee, _objection_decided(upheld=False)),
        _spec("uphold_objection", {"committee"}, Decision, _committee, _objection_decided(upheld=True)),
    )},
)


def items_of(session, user_id: int, limit: int = 100) -> list[ScoreItem]:
    """A person's items, newest first (what the person sees of them)."""
    return list(session.execute(select(ScoreItem).where(ScoreItem.user_id == user_id)
                                .order_by(ScoreItem.id.desc()).limit(limit)).scalars())
