"""审判组织 (SPEC §1.4): at assignment the lead judge presides; a procedure the policy tries by a panel (合议庭)
gets its other judges drawn among the eligible ones with the same reproducible draw as the lead judge (each
draw stored, `courtflow assignment verify` re-runs it). A member changes only by an approved reassignment
request naming the seat (services/cases/reassignments.py); each time the panel is fixed, the parties are told
(the `panel_told` node)."""
from datetime import date, datetime

from sqlmodel import Session, select

from services.cases.assignment import draw_member, member_candidates
from services.kernel.policy import policy
from store.models import Case, PanelMember


def panel_of(session: Session, case_id: int) -> list[PanelMember]:
    return list(session.exec(select(PanelMember).where(PanelMember.case_id == case_id)
                             .order_by(PanelMember.role != "lead", PanelMember.id)).all())


def seat_panel(session: Session, case: Case, on: date, now: datetime) -> None:
    """The lead judge's seat, and a panel procedure's other members drawn among the division's eligible judges
    who are not its leaders (as many as it has)."""
    seated = {m.user_id for m in panel_of(session, case.id)}
    if case.lead_judge_id not in seated:
        session.add(PanelMember(case_id=case.id, user_id=case.lead_judge_id, role="lead", since=on))
        seated.add(case.lead_judge_id)
    size = policy(session, case.court_id, "assignment", case.division_id).panels.size(case.procedure)
    while len(seated) < size:
        candidates = member_candidates(session, case, seated, on)
        if not candidates:  # a division short of judges: the seats it has (the chief designates the rest by request)
            break
        member = draw_member(session, case, candidates, now, f"合议庭成员（第{len(seated) + 1}席）")
        session.add(PanelMember(case_id=case.id, user_id=member, role="member", since=on))
        seated.add(member)
    session.flush()


def change_seat(session: Session, case: Case, out_user_id: int, in_user_id: int, on: date) -> None:
    """The seat of `out_user_id` taken by `in_user_id` (the lead's seat stays the lead's)."""
    seats = {m.user_id: m for m in panel_of(session, case.id)}
    if in_user_id in seats and in_user_id != out_user_id:
        seats[in_user_id].role = "lead" if seats.get(out_user_id) and seats[out_user_id].role == "lead" else seats[in_user_id].role
        session.add(seats[in_user_id])
        if out_user_id in seats:
            session.delete(seats[out_user_id])
        session.flush()
        return
    role = seats[out_user_id].role if out_user_id in seats else "lead"
    if out_user_id in seats:
        session.delete(seats[out_user_id])
        session.flush()
    session.add(PanelMember(case_id=case.id, user_id=in_user_id, role=role, since=on))
    session.flush()


def member_choices(session: Session, case: Case) -> list[tuple[int, str]]:
    """The panel's members other than the lead judge, for a person to pick by name."""
    from store.models import User
    members = [m.user_id for m in panel_of(session, case.id) if m.role != "lead"]
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(members))).all()) if members else {}
    return [(uid, names[uid]) for uid in members]
