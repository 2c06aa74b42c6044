"""The work assistants and clerks record, for the demo and the province data set: the seeds load cases
without their procedural steps, so staff assessment would have nothing to count. For each case filed
in [first, last], a service (送达) by an assistant of the case's division on its 5th day and a hearing
(开庭) recorded by a clerk on its 25th, where that day is on or before `last`; the person is picked by
the case id, so the same data always gives the same rows. Then the demo's qualitative inputs: a
judge's evaluation of an assistant, an approved deduction and a bonus waiting for the chief."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from policies.periods import month_before
from services.kernel.actor import actor_by_id
from services.kernel.clock import COURT_TZ, local_date
from store.models import Case, ProceduralEvent, RoleGrant, User

STEPS = (("assistant", "served", 5), ("clerk", "hearing_held", 25))


def seed_staff_work(session, first: date, last: date) -> int:
    """Insert the procedural steps (Core executemany, no ORM objects); returns how many."""
    staff: dict[tuple[int, str], list[int]] = {}
    for user_id, division_id, role in session.execute(select(RoleGrant.user_id, RoleGrant.division_id, RoleGrant.role)
                                                      .where(RoleGrant.role.in_([r for r, _, _ in STEPS]))
                                                      .order_by(RoleGrant.user_id)).all():
        staff.setdefault((division_id, role), []).append(user_id)
    rows = []
    for case_id, division_id, filed_on in session.execute(select(Case.id, Case.division_id, Case.filed_on)
                                                          .where(Case.filed_on.between(first, last))).all():
        for role, kind, days in STEPS:
            people, day = staff.get((division_id, role)), filed_on + timedelta(days=days)
            if people and day <= last:
                rows.append(dict(case_id=case_id, kind=kind, on=day, note="", actor_id=people[case_id % len(people)]))
    if rows:
        session.connection().execute(ProceduralEvent.__table__.insert(), rows)
    return len(rows)


def seed_qualitative(db, now: datetime) -> None:
    """hp_assistant01 is evaluated by a judge of the division for the last whole month, in which the chief
    also approved a deduction; a bonus entered today waits in the chief's inbox for approval."""
    from services.assessment.qualitative import EvaluationEntry, evaluate
    from services.assessment.score_items import ItemEntry, enter_item
    from services.kernel.engine import fire

    with db.read() as session:
        people = dict(session.execute(select(User.username, User.id).where(User.username.in_(
            ("hp_assistant01", "hp_judge01", "hp_chief_civil1")))).all())
        judge, chief = (actor_by_id(session, people[u]) for u in ("hp_judge01", "hp_chief_civil1"))
    assistant = people["hp_assistant01"]
    last_month = month_before(local_date(now))
    then = datetime.combine(last_month.start + timedelta(days=19), time(10), tzinfo=COURT_TZ)
    evaluate(db, judge, EvaluationEntry(user_id=assistant, kind="judge_of_assistant", period=last_month.label,
                                        score=88, note="送达及时，庭前准备细致"), then)
    complaint = enter_item(db, judge, ItemEntry(user_id=assistant, code="verified_complaint",
                                                occurred_on=local_date(then) - timedelta(days=3),
                                                reason="当事人投诉送达地址核实不及时，经查属实",
                                                evidence="投诉登记表（演示）"), then)
    fire(db, chief, "score_items", complaint["id"], "approve", {"note": "证据属实"}, then + timedelta(days=1))
    enter_item(db, judge, ItemEntry(user_id=assistant, code="excellent_judgment", occurred_on=local_date(now),
                                    reason="协助撰写的判决书获评优秀裁判文书", evidence="评选结果通知（演示）"), now)
