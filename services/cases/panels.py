"""审判组织 (SPEC §1.4): at assignment the lead judge presides; a procedure the policy tries by a panel (合议庭)
gets its other judges drawn among the eligible ones with the same reproducible draw as the lead judge (each
draw stored, `courtflow assignment verify` re-runs it). A first-instance case with an assessors' ground sits
with people's assessors (人民陪审员) drawn the same way from the court's pool. A member changes only by an
approved reassignment request naming the seat (services/cases/reassignments.py); each time the panel is fixed,
the parties are told (the `panel_told` node)."""
from datetime import date, datetime

from sqlmodel import Session, select

import i18n
from services.cases.assignment import barred, draw_member, member_candidates
from services.kernel.errors import Invalid, Refused
from services.kernel.policy import policy
from store.models import Case, PanelMember, User
from store.recipients import holders


def panel_of(session: Session, case_id: int) -> list[PanelMember]:
    return list(session.exec(select(PanelMember).where(PanelMember.case_id == case_id)
                             .order_by(PanelMember.role != "lead", PanelMember.role == "assessor", PanelMember.id)).all())


def sit_with_assessors(session: Session, case: Case, ground: str) -> None:
    """The case's assessors' ground, chosen at assignment: one the policy lists, for a procedure it lists."""
    rule = policy(session, case.court_id, "assignment", case.division_id).panels.assessors
    if ground not in rule.grounds:
        raise Invalid("payload.assessor_ground", "invalid.cases.unknown_assessor_ground")
    if case.procedure not in rule.procedures:
        raise Refused("refused.cases.procedure_sits_without_assessors", procedure=case.procedure)
    case.assessor_ground = ground


def ground_choices(session: Session, case: Case) -> list[tuple[str, str]]:
    """The assessors' grounds the case's procedure may take, in words (none for a procedure without assessors)."""
    rule = policy(session, case.court_id, "assignment", case.division_id).panels.assessors
    grounds = rule.grounds if case.procedure in rule.procedures else {}
    return [(g, i18n.label("option", g, within="assessor_ground")) for g in grounds]


def seat_panel(session: Session, case: Case, on: date, now: datetime, whole: bool = False) -> list[PanelMember]:
    """The lead judge's seat; a panel's other judges drawn among the division's eligible judges who are not its
    leaders (as many as it has); its assessors drawn from the court's pool, which must hold enough of them.
    A division short of judges: at assignment the seats it has (the chief designates the rest by request); with
    `whole` (a case converted to a panel procedure, which cannot go on without its panel) a refusal. Returns the
    seats added."""
    seats = panel_of(session, case.id)
    seated, added = {m.user_id for m in seats}, []
    if case.lead_judge_id not in seated:
        added.append(PanelMember(case_id=case.id, user_id=case.lead_judge_id, role="lead", since=on))
        seated.add(case.lead_judge_id)
    judges, assessors = policy(session, case.court_id, "assignment", case.division_id).panels.seats(
        case.procedure, case.assessor_ground)
    sitting = sum(m.role == "assessor" for m in seats)
    while len(seated) - sitting < judges:
        candidates = member_candidates(session, case, seated, on)
        if not candidates and whole:
            raise Refused("refused.cases.too_few_judges_for_panel", size=judges + assessors)
        if not candidates:
            break
        member = draw_member(session, case, candidates, now, f"合议庭成员（第{len(seated) + 1}席）")
        added.append(PanelMember(case_id=case.id, user_id=member, role="member", since=on))
        seated.add(member)
    pool = assessor_candidates(session, case, seated, on)
    if len(pool) < assessors - sitting:
        raise Refused("refused.cases.too_few_assessors", needed=assessors, available=len(pool) + sitting)
    for seat in range(sitting, assessors):
        assessor = draw_member(session, case, pool, now, f"人民陪审员（第{seat + 1}席）", method="assessor")
        added.append(PanelMember(case_id=case.id, user_id=assessor, role="assessor", since=on))
        pool.remove(assessor)
    session.add_all(added)
    session.flush()
    return added


def assessor_candidates(session: Session, case: Case, seated: set[int], on: date) -> list[int]:
    """The court's people's assessors (grants in force on `on`) an assessor's seat is drawn among: not seated,
    nobody barred from the case."""
    off = barred(session, case)
    return [a for a in holders(session, "assessor", case.court_id, on=on) if a not in seated and a not in off]


def change_seat(session: Session, case: Case, out_user_id: int, in_user_id: int, on: date) -> None:
    """The seat of `out_user_id` taken by `in_user_id`: the lead's seat stays the lead's (a member who takes it
    leaves their own). The old seat goes first: a case has one lead (uq_panel_lead)."""
    seats = {m.user_id: m for m in panel_of(session, case.id)}
    out = seats.pop(out_user_id, None)
    role = out.role if out else "lead"
    if out is not None:
        session.delete(out)
        session.flush()
    if in_user_id not in seats:
        session.add(PanelMember(case_id=case.id, user_id=in_user_id, role=role, since=on))
    elif role == "lead":
        seats[in_user_id].role = "lead"
        session.add(seats[in_user_id])
    session.flush()


def seat_of(session: Session, case: Case, user_id: int) -> str | None:
    """The seat `user_id` holds on the case's panel (lead, member, assessor), None when not on it."""
    return session.exec(select(PanelMember.role).where(PanelMember.case_id == case.id,
                                                       PanelMember.user_id == user_id)).first()


def member_choices(session: Session, case: Case) -> list[tuple[int, str]]:
    """The panel's members other than the lead judge, for a person to pick by name (an assessor's seat said)."""
    members = [(m.user_id, m.role) for m in panel_of(session, case.id) if m.role != "lead"]
    ids = [uid for uid, _ in members]
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return [(uid, names[uid] if role == "member" else f"{names[uid]}（{i18n.label('role', role)}）")
            for uid, role in members]


def panel_seats(session: Session, case: Case) -> list[tuple[str, str]]:
    """What the case page shows of the panel: (seat, name), the presiding lead judge first, assessors last."""
    seats = panel_of(session, case.id)
    ids = [m.user_id for m in seats]
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return [(m.role, names[m.user_id]) for m in seats]
