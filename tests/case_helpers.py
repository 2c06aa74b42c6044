"""Acting on cases in tests as the real users would, with the clock passed explicitly."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlmodel import select

from services.kernel.actor import load_actor
from services.cases.filing import CaseCreate, file_case
from services.kernel.engine import fire
from store.models import Case, Notice, User

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime:
    """10:00 in Shanghai on that court day, as a UTC instant."""
    return datetime.combine(date.fromisoformat(day), time(10), tzinfo=SHANGHAI).astimezone(timezone.utc)


def actor(db, username: str):
    with db.read() as s:
        return load_actor(s, s.exec(select(User).where(User.username == username)).one())


def file(db, world, number="（2025）辽0102民初1号", filed="2025-01-06", procedure="civil-first-ordinary",
         cause="民间借贷纠纷", **kw):
    data = CaseCreate(case_number=number, cause=cause, procedure=procedure,
                      division_id=world.divisions["hp_civil"].id, filed_on=date.fromisoformat(filed), **kw)
    return file_case(db, actor(db, "filing"), data, at(filed))


def act(db, username, kind, subject_id, event, payload=None, day="2025-01-07", **kw):
    return fire(db, actor(db, username), kind, subject_id, event, payload or {}, at(day), **kw)


def case_row(db, case_id) -> Case:
    with db.read() as s:
        return s.get(Case, case_id)


def notices(db, kind: str | None = None) -> list[Notice]:
    with db.read() as s:
        stmt = select(Notice).order_by(Notice.id)
        return [n for n in s.exec(stmt).all() if kind is None or n.kind == kind]


def designate(db, world, case_id, judge="judge_a", day="2025-01-07"):
    return act(db, "chief", "cases", case_id, "assign",
               {"method": "designated", "judge_id": world.users[judge].id, "reason": "专业审判团队"}, day)
