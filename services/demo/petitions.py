"""Demo petitions (信访) in 和平区法院, registered and worked through the real commands, so the
trial office's board shows something of each kind: new, due soon, late, answered on time and late."""
from datetime import datetime, timedelta

from sqlmodel import select

from services.kernel.clock import local_date
from services.kernel.actor import load_actor
from services.petitions.registration import PetitionCreate, register_petition
from services.kernel.engine import fire
from store.models import Case, Court, RoleGrant, User
from store.models.case import PENDING_STATES

DEMO_COURT = "辽0102"
# (petitioner, channel, matter, days ago, summary, answered after N days or None, names the lead judge)
PLAN = (
    ("周某", "letter", "case_progress", 1, "立案后久未开庭，请求尽快审理", None, False),
    ("吴某", "visit", "judge_conduct", 13, "反映承办法官庭审中态度粗暴，偏袒对方当事人", None, True),
    ("郑某", "online", "judgment", 25, "对一审判决认定事实有异议，请求说明理由", None, False),
    ("冯某", "letter", "enforcement", 40, "判决生效后对方拒不履行，请求督促执行", 10, False),
    ("陈某", "visit", "case_progress", 45, "案件超审限未结，请求说明原因", 21, False),
)


def _user(session, username: str):
    return load_actor(session, session.exec(select(User).where(User.username == username)).one())


def _handler(session, case: Case) -> int:
    """Another judge of the case's division (not its chief): a petition is not handled by the case's lead judge."""
    chiefs = select(RoleGrant.user_id).where(RoleGrant.role == "division_chief")
    return session.exec(select(RoleGrant.user_id).where(
        RoleGrant.role == "judge", RoleGrant.division_id == case.division_id, RoleGrant.user_id != case.lead_judge_id,
        RoleGrant.user_id.not_in(chiefs)).order_by(RoleGrant.user_id)).first()


def seed_petitions(db, now: datetime) -> int:
    """Register the demo petitions on pending cases of the demo court; returns how many."""
    today = local_date(now)
    with db.read() as s:
        court = s.exec(select(Court).where(Court.code == DEMO_COURT)).one()
        office = _user(s, "hp_trial_office")
        cases = s.exec(select(Case).where(Case.court_id == court.id, Case.state.in_(PENDING_STATES),
                                          Case.lead_judge_id.is_not(None), Case.filed_on < today - timedelta(days=60))
                       .order_by(Case.id).limit(20 * len(PLAN))).all()
        pairs = [(case, handler) for case in cases if (handler := _handler(s, case))][:len(PLAN)]
        answerers = {h: load_actor(s, s.get(User, h)) for _, h in pairs}
    for (name, channel, matter, ago, summary, answered_after, names_judge), (case, handler) in zip(PLAN, pairs):
        registered = today - timedelta(days=ago)
        petition_id = register_petition(db, office, PetitionCreate(
            channel=channel, petitioner=name, matter=matter, summary=summary, case_number=case.case_number,
            named_user_id=case.lead_judge_id if names_judge else None, registered_on=registered), now)
        if ago > 1:
            fire(db, office, "petitions", petition_id, "assign",
                 {"division_id": case.division_id, "handler_user_id": handler}, now)
        if answered_after is not None:
            fire(db, answerers[handler], "petitions", petition_id, "answer",
                 {"answer": "经核查，已依法作出答复并告知信访人", "delivery_method": "in_person",
                  "answered_on": (registered + timedelta(days=answered_after)).isoformat()}, now)
    return len(pairs)
