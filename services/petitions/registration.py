"""有信必录、有录必全: registering a petition complete with its petitioner, subject case and the person named.

A registration that misses the petitioner or names a case number not on file is refused
with the field and the reason, stores nothing, and the refusal is traced. A petition that
reports a judge's conduct on a case proposes the four-type flag (category 4) on that case.
"""
from datetime import datetime, timedelta

from pydantic import Field
from sqlmodel import Session, select

from services.kernel.subjects import Payload
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.policy import calendar, policy
from services.kernel.record import record, record_refusal
from services.kernel.tasks import open_task
from services.kernel.bounds import Day, Id
from store.jsonable import row_snapshot
from store.models import Case, Court, Petition, RoleGrant, User

REGISTRARS = frozenset({"trial_office", "filing_clerk"})


class PetitionCreate(Payload):
    channel: str = Field(description="渠道：letter 来信 / visit 来访 / online 网上信访")
    petitioner: str = Field(default="", max_length=100, description="信访人")
    petitioner_contact: str = Field(default="", max_length=200, description="联系方式")
    matter: str = Field(default="other", description="事由：judge_conduct 反映法官违法违纪 / case_progress 催办 / …")
    summary: str = Field(default="", max_length=4000, description="诉求与事由")
    case_number: str | None = Field(default=None, max_length=64, description="涉及案件案号（有则必填）")
    named_user_id: Id | None = Field(default=None, description="被反映人（本院人员）")
    named_person: str = Field(default="", max_length=100, description="被反映人姓名")
    court_id: Id | None = Field(default=None, description="受理法院（不涉及案件时必填）")
    registered_on: Day | None = Field(default=None, description="登记日期（默认当日）")


def register_petition(db, actor: Actor, data: PetitionCreate, now: datetime) -> int:
    """Register one petition (state `registered`); returns its id. Refusals are traced and store nothing."""
    try:
        with db.write() as session:
            petition = _new_petition(session, actor, data, now)
            record(session, actor, "petitions.register", at=now, subject_kind="petitions", subject_id=petition.id,
                   court_id=petition.court_id, after=row_snapshot(petition))
            return petition.id
    except (Invalid, Refused) as exc:
        reason = f"{exc.field}: {exc.message}" if isinstance(exc, Invalid) else exc.reason
        record_refusal(db, actor, "petitions.register", reason, at=now, subject_kind="petitions")
        raise


def _new_petition(session: Session, actor: Actor, data: PetitionCreate, now: datetime) -> Petition:
    case = _case(session, data.case_number)
    court = _court(session, actor, case, data.court_id)
    rules = policy(session, court.id, "petitions")
    _check_complete(data, rules)
    named = _named_user(session, data.named_user_id)
    today = local_today(now)
    registered_on = data.registered_on or today
    if registered_on > today:
        raise Invalid("registered_on", "invalid.petitions.registration_date_future")
    chasing = policy(session, court.id, "monitoring").chase.rule("answer_petition")
    dates = rules.answer_dates(registered_on, calendar(session, court.id), chasing.remind_days_before or 0,
                               chasing.escalate_after_days or 0)
    petition = Petition(
        court_id=court.id, division_id=None, channel=data.channel, petitioner=data.petitioner.strip(),
        petitioner_contact=data.petitioner_contact.strip(), matter=data.matter, summary=data.summary.strip(),
        case_id=case.id if case else None, named_user_id=named.id if named else None,
        named_person=data.named_person.strip() or (named.display_name if named else ""),
        registered_on=registered_on, registered_by=actor.user_id, due_on=dates.due_on, remind_on=dates.remind_on,
        escalate_on=dates.escalate_on, calendar_complete=dates.calendar_complete)
    session.add(petition)
    session.flush()
    open_task(session, kind="assign_petition", title=f"分办信访：{petition.petitioner}（#{petition.id}）",
              subject_kind="petitions", subject_id=petition.id, court_id=court.id, assignee_role="trial_office",
              due_on=registered_on + timedelta(days=rules.assign_within_days), at=now,
              dedupe_key=f"assign_petition:{petition.id}")
    if case and named and data.matter == "judge_conduct" and is_judge(session, named.id):
        propose_conduct_flag(session, actor, petition, case, now)
    return petition


def _case(session: Session, number: str | None) -> Case | None:
    number = (number or "").strip()
    if not number:
        return None
    case = session.exec(select(Case).where(Case.case_number == number)).first()
    if case is None:
        raise Invalid("case_number", "invalid.petitions.no_case_on_file_check_case", number=number)
    return case


def _court(session: Session, actor: Actor, case: Case | None, court_id: int | None) -> Court:
    if case is not None and court_id is not None and court_id != case.court_id:
        raise Invalid("court_id", "invalid.petitions.case_belongs_court_not", case_number=case.case_number, court_id=case.court_id, court_id2=court_id)
    wanted = case.court_id if case else court_id
    if wanted is None:
        raise Invalid("court_id", "invalid.petitions.petition_that_concerns_no_case_names")
    court = session.get(Court, wanted)
    division = case.division_id if case else None
    if court is None or not _reaches(actor, court):
        raise NotFound("not_found.petitions.court_not_found", wanted=wanted)
    if not actor.roles_at(court.id, court.path, division) & REGISTRARS:
        raise Refused("refused.petitions.only_trial_office_filing_clerk_court")
    return court


def _reaches(actor: Actor, court: Court) -> bool:
    """Whether any of the actor's grants lies in the court (any division) or covers its subtree."""
    return any(g.court_id == court.id or g.covers(court.id, court.path, None) for g in actor.grants)


def _check_complete(data: PetitionCreate, rules) -> None:
    if not data.petitioner.strip():
        raise Invalid("petitioner", "invalid.petitions.petition_registered_with_petitioner_name_missing")
    if not data.summary.strip():
        raise Invalid("summary", "invalid.petitions.petition_registered_with_what_it_asks")
    if data.channel not in rules.channels:
        raise Invalid("channel", "invalid.petitions.unknown_channel_one", channel=repr(data.channel), channels=', '.join(rules.channels))
    if data.matter not in rules.matters:
        raise Invalid("matter", "invalid.petitions.unknown_matter_one", matter=repr(data.matter), matters=', '.join(rules.matters))
    if data.matter == "judge_conduct" and not (data.named_user_id or data.named_person.strip()):
        raise Invalid("named_person", "invalid.petitions.petition_about_judge_conduct_names_person")


def _named_user(session: Session, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None:
        raise Invalid("named_user_id", "invalid.petitions.no_user", user_id=user_id)
    return user


def is_judge(session: Session, user_id: int) -> bool:
    user = session.get(User, user_id)
    granted = session.exec(select(RoleGrant.id).where(RoleGrant.user_id == user_id, RoleGrant.role == "judge")).first()
    return bool(user and (user.is_quota_judge or granted))


def propose_conduct_flag(session: Session, actor: Actor, petition: Petition, case: Case, now: datetime) -> None:
    """SPEC §3 type 4: a report that the judge acted illegally proposes the four-type flag; supervision decides."""
    reason = f"信访 #{petition.id} 反映承办法官{petition.named_person}违法审判行为：{petition.summary[:200]}"
    from services.supervision.facts import propose_four_type  # C3: supervision decides the proposal
    proposal = propose_four_type(session, case_id=case.id, category=4, reason=reason,
                                 source=f"petition:{petition.id}", now=now)
    if proposal is not None:
        petition.four_type_proposal_id = proposal
        session.add(petition)
