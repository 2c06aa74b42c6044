"""Petitions as a subject (信访, SPEC §10): assign to a division and handler, answer, close, or merge.

Every step goes through services/kernel/engine.fire (roles, version check, trace). The
handler's answer closes the answer task and any escalation of it, and is credited work:
it is filed in the handler's yearly dossier.
"""

from datetime import date

from pydantic import Field
from sqlalchemy import and_, or_
from sqlmodel import select

from services.kernel.clock import local_today
from services.kernel.dossier import record_in_dossier
from services.kernel.errors import Invalid, Refused
from services.kernel.policy import policy
from store.recipients import holders, in_force
from services.kernel.subjects import EventSpec, Payload, SubjectKind
from services.kernel.tasks import cancel_open_tasks, close_tasks, open_task
from services.kernel.access import court_path, roles_here
from services.kernel.bounds import Day, Id
from services.kernel.need_to_know import may_read_petition_about, free_of_named, withheld_named
from statemachines.petition import PetitionMachine
from store.models import Case, Division, Petition, RoleGrant, Task
from store.outbox import enqueue

HANDLER_ROLES = ("judge", "assistant", "clerk", "division_chief")
ANSWER_ROLES = frozenset(HANDLER_ROLES + ("vice_president",))
OFFICE = frozenset({"trial_office"})


class AssignPayload(Payload):
    division_id: Id = Field(description="承办部门")
    handler_user_id: Id | None = Field(default=None, description="承办人（不填则由庭长指定）")


class AnswerPayload(Payload):
    answer: str = Field(min_length=2, max_length=4000, description="答复意见")
    delivery_method: str = Field(description="送达方式")
    answered_on: Day | None = Field(default=None, description="答复日期（默认当日）")


class ClosePayload(Payload):
    note: str = Field(default="", max_length=1000, description="办结意见")


class MergePayload(Payload):
    into_petition_id: Id = Field(description="并入的在先信访编号")
    reason: str = Field(min_length=2, max_length=1000, description="合并理由（同一事项）")


def petition_context(session, petition: Petition) -> dict:
    case = session.get(Case, petition.case_id) if petition.case_id else None
    return {"petition_id": petition.id, "petitioner": petition.petitioner, "due_on": petition.due_on.isoformat(),
            "case_number": case.case_number if case else None, "summary": petition.summary[:200]}


def _notify(cmd, kind: str, users, key: str, petition: Petition) -> None:
    enqueue(cmd.session, kind=kind, recipients=[u for u in users if u is not None], dedupe_key=key, at=cmd.now,
            context=petition_context(cmd.session, petition), court_id=petition.court_id,
            subject_kind="petitions", subject_id=petition.id)


def _handler_in_division(session, user_id: int, division: Division, on: date) -> bool:
    """The person holds a handler role in the division (or court-wide) by a grant in force on `on`."""
    return session.exec(select(RoleGrant.id).where(
        RoleGrant.user_id == user_id, RoleGrant.role.in_(HANDLER_ROLES), RoleGrant.court_id == division.court_id,
        or_(RoleGrant.division_id.is_(None), RoleGrant.division_id == division.id), in_force(on))).first() is not None


def _assign(cmd, petition: Petition, data: AssignPayload):
    s, today = cmd.session, local_today(cmd.now)
    division = s.get(Division, data.division_id)
    if division is None or division.court_id != petition.court_id:
        raise Invalid("payload.division_id", "invalid.petitions.division_not_division_petition_court", division_id=data.division_id)
    if data.handler_user_id is not None and not _handler_in_division(s, data.handler_user_id, division, today):
        raise Invalid("payload.handler_user_id", "invalid.petitions.user_does_not_work", handler_user_id=data.handler_user_id, name=division.name)
    if data.handler_user_id is not None and not free_of_named(s, petition.named_user_id, [data.handler_user_id],
                                                              today):
        raise Invalid("payload.handler_user_id", "invalid.petitions.handler_person_named_petition_works_under")
    _cancel_answer_tasks(s, petition, cmd.now)
    petition.division_id, petition.handler_user_id = division.id, data.handler_user_id
    petition.assigned_on = today
    close_tasks(s, subject_kind="petitions", subject_id=petition.id, kinds=("assign_petition",), actor=cmd.actor,
                at=cmd.now)
    role = None if data.handler_user_id else answering_role(s, petition, division.id, today)
    open_task(s, kind="answer_petition", title=f"答复信访：{petition.petitioner}（#{petition.id}）",
              subject_kind="petitions", subject_id=petition.id, court_id=petition.court_id, division_id=division.id,
              assignee_user_id=data.handler_user_id, assignee_role=role, due_on=petition.due_on, at=cmd.now,
              dedupe_key=f"answer_petition:{petition.id}:{division.id}:{data.handler_user_id or 'chief'}")
    users = ([data.handler_user_id] if data.handler_user_id
             else free_of_named(s, petition.named_user_id, holders(s, role, petition.court_id, division.id, on=today),
                                today))
    _notify(cmd, "petition_assigned", users, f"petition_assigned:{petition.id}:{division.id}:"
            f"{data.handler_user_id or 'chief'}", petition)


def answering_role(session, petition: Petition, division_id: int, on: date) -> str:
    """The division chief answers, unless a chief of the division is the person named: then a vice president."""
    named = petition.named_user_id
    chiefs = holders(session, "division_chief", petition.court_id, division_id, on=on)
    return "vice_president" if named is not None and named in chiefs else "division_chief"


def _cancel_answer_tasks(session, petition: Petition, at) -> None:
    """On reassignment the earlier handler's answer task is no longer theirs to do."""
    for task in session.exec(select(Task).where(Task.subject_kind == "petitions", Task.subject_id == petition.id,
                                                Task.kind == "answer_petition", Task.state == "open")).all():
        task.state, task.done_at = "cancelled", at
        session.add(task)


def _may_answer(session, actor, petition: Petition, now):
    if actor.user_id == petition.handler_user_id:
        return None
    role = answering_role(session, petition, petition.division_id, local_today(now)) if petition.division_id else "division_chief"
    if role in roles_here(session, actor, PETITIONS, petition):
        return None
    return Refused("refused.petitions.only_petition_handler_chief_division_answers")


def _answer(cmd, petition: Petition, data: AnswerPayload):
    methods = policy(cmd.session, petition.court_id, "petitions").delivery_methods
    if data.delivery_method not in methods:
        raise Invalid("payload.delivery_method", "invalid.petitions.unknown_delivery_method_one", methods=', '.join(methods))
    today = local_today(cmd.now)
    day = data.answered_on or today
    if day < petition.registered_on or day > today:
        raise Invalid("payload.answered_on", "invalid.petitions.before_registration_future", day=day)
    petition.answer, petition.delivery_method = data.answer.strip(), data.delivery_method
    petition.answered_on, petition.answered_by = day, cmd.actor.user_id
    close_tasks(cmd.session, subject_kind="petitions", subject_id=petition.id,
                kinds=("answer_petition", "supervise_late_petition"), actor=cmd.actor, at=cmd.now)
    record_in_dossier(cmd.session, at=cmd.now, user_id=cmd.actor.user_id, on=day, kind="petition_answered",
                      title=f"答复信访 #{petition.id}（{petition.petitioner}）",
                      dedupe_key=f"petition_answered:{petition.id}", ref_kind="petitions", ref_id=petition.id,
                      detail={"due_on": petition.due_on.isoformat(), "late": day > petition.due_on})


def _close(cmd, petition: Petition, data: ClosePayload):
    petition.closed_on = local_today(cmd.now)


def _merge(cmd, petition: Petition, data: MergePayload):
    target = cmd.session.get(Petition, data.into_petition_id)
    if target is None or target.court_id != petition.court_id or target.id > petition.id:
        raise Invalid("payload.into_petition_id", "invalid.petitions.no_earlier_petition_court", into_petition_id=data.into_petition_id)
    if target.state == "merged":
        raise Refused("refused.petitions.petition_was_itself_merged_into_merge", id=target.id, merged_into_id=target.merged_into_id)
    same = target.case_id == petition.case_id if petition.case_id else target.petitioner == petition.petitioner
    if not same:
        raise Refused("refused.petitions.petition_not_on_same_matter", id=target.id)
    petition.merged_into_id, petition.closed_on = target.id, local_today(cmd.now)
    cancel_open_tasks(cmd.session, "petitions", petition.id, cmd.now)


def petition_public(p: Petition) -> dict:
    return {"court_id": p.court_id, "division_id": p.division_id, "channel": p.channel, "petitioner": p.petitioner,
            "petitioner_contact": p.petitioner_contact, "matter": p.matter, "summary": p.summary,
            "case_id": p.case_id, "named_user_id": p.named_user_id, "named_person": p.named_person,
            "registered_on": p.registered_on, "due_on": p.due_on, "remind_on": p.remind_on,
            "escalate_on": p.escalate_on, "handler_user_id": p.handler_user_id, "assigned_on": p.assigned_on,
            "answer": p.answer, "delivery_method": p.delivery_method, "answered_on": p.answered_on,
            "answered_by": p.answered_by, "answered_late": bool(p.answered_on and p.answered_on > p.due_on),
            "closed_on": p.closed_on, "merged_into_id": p.merged_into_id,
            "four_type_proposal_id": p.four_type_proposal_id}


def sees(session, actor, petition: Petition) -> bool:
    """Anyone with a role at its place, except the person named and everyone over them (need to know)."""
    return actor.can_see(petition.court_id, court_path(session, petition.court_id), petition.division_id) and \
        may_read_petition_about(session, actor, petition.named_user_id)


def sees_where(session, actor):
    """sees in SQL: the persons withheld from the actor are read once."""
    return and_(actor.covering(Petition.court_id, Petition.division_id),
                or_(Petition.named_user_id.is_(None), Petition.named_user_id.not_in(withheld_named(session, actor))))


PETITIONS = SubjectKind(
    name="petitions", model=Petition, machine=PetitionMachine, public=petition_public,
    title=lambda p: f"信访 #{p.id} {p.petitioner}", sees=sees, sees_where=sees_where,
    events={
        "assign": EventSpec("assign", OFFICE, AssignPayload, apply=_assign),
        "answer": EventSpec("answer", ANSWER_ROLES, AnswerPayload, _may_answer, _answer),
        "close": EventSpec("close", OFFICE, ClosePayload, apply=_close),
        "merge": EventSpec("merge", OFFICE, MergePayload, apply=_merge),
    },
)
