"""分案 (SPEC §1.2): random among eligible quota judges, reproducibly; designated with reason
and approver; related cases to the judge who has the first; major, difficult or four-type cases
drawn among the leaders (the assignment policy's `leader_cases`).

Who may be drawn or picked is read for one court day (`on`: the day of the assignment or of the approved
change), by the grants in force that day (store.recipients.in_force, the one test of a grant's dates): a judge
whose grant starts later or has ended is neither drawn nor offered. The candidates are stored with the draw, so
`courtflow assignment verify` re-runs it the same after a grant ends."""
import secrets
from datetime import date, datetime

from sqlmodel import Session, select

from policies.assignment import draw
from services.cases.events import ASSIGN_GATE
from services.kernel.clock import local_today
from services.kernel.errors import Refused
from services.kernel.policy import policy
from services.kernel.registry import current
from store.models import AssignmentDraw, Case, FourTypeFlag, RoleGrant, Team, User
from store.recipients import in_force


def barred(session: Session, case: Case) -> dict[int, str]:
    """Who may not take the case, by the gates higher lifecycles put on it: {user id: the refusal's message id}."""
    return current().gate_facts(ASSIGN_GATE, session, case).get("barred", {})


def refuse_barred(session: Session, case: Case, judge_id: int | None) -> None:
    """A person picked by name (designated, proposed, approved) who is barred from the case: the gate's refusal."""
    message = barred(session, case).get(judge_id) if judge_id is not None else None
    if message:
        raise Refused(message, name=session.get(User, judge_id).display_name, case_number=case.case_number)


def eligible_judges(session: Session, case: Case, on: date, exclude: int | None = None) -> list[int]:
    """Quota judges of the case's division by a judge grant in force on `on`; for a fast-track procedure, of its
    fast-track team if it has one besides the excluded judge (a case leaving the team's only other judge, e.g. on
    回避, goes to the division). Nobody barred from the case (a gate's `barred`) is ever among them."""
    stmt = (select(User.id, User.team_id).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == "judge", RoleGrant.division_id == case.division_id, in_force(on),
                   User.is_quota_judge, User.active))
    off = barred(session, case)
    judges = {uid: team for uid, team in session.exec(stmt).all() if uid != exclude and uid not in off}
    team_id = _fast_track_team(session, case)
    in_team = sorted(uid for uid, team in judges.items() if team == team_id)
    return in_team if team_id is not None and in_team else sorted(judges)


def judge_choices(session: Session, case: Case, on: date, exclude: int | None = None) -> list[tuple[int, str]]:
    """The judges eligible on `on` as (id, name), for a person to pick by name."""
    ids = eligible_judges(session, case, on, exclude)
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return [(uid, names[uid]) for uid in ids]


def assign_picked(session: Session, case: Case, judge_id: int, exclude: int | None, reason: str,
                  approver_id: int, on: date) -> AssignmentDraw:
    """A judge picked from the eligible list (a reassignment): the list, the pick and the approver are stored,
    so `courtflow assignment verify` can check the pick was one of those eligible then."""
    refuse_barred(session, case, judge_id)
    candidates = eligible_judges(session, case, on, exclude)
    if judge_id not in candidates:
        raise Refused("refused.cases.chosen_judge_not_eligible")
    return _store(session, case, "reassignment", candidates, "", judge_id, reason, approver_id)


def _fast_track_team(session: Session, case: Case) -> int | None:
    if case.procedure not in policy(session, case.court_id, "assignment", case.division_id).fast_track.procedures:
        return None
    team = session.exec(select(Team).where(Team.division_id == case.division_id, Team.fast_track)).first()
    has_members = team and session.exec(select(User.id).where(User.team_id == team.id, User.is_quota_judge)).first()
    return team.id if has_members else None


def assign_random(session: Session, case: Case, now: datetime, exclude: int | None = None,
                  method: str = "random") -> AssignmentDraw:
    candidates = eligible_judges(session, case, local_today(now), exclude)
    if not candidates:
        raise Refused("refused.cases.no_eligible_quota_judge_case_division")
    seed = f"{case.case_number}|{now.isoformat()}|{secrets.token_hex(8)}"
    return _store(session, case, method, candidates, seed, draw(candidates, seed), "")


def draw_member(session: Session, case: Case, candidates: list[int], now: datetime, reason: str,
                method: str = "panel") -> int:
    """A panel member (`panel`) or people's assessor (`assessor`) drawn among `candidates`, reproducibly; the
    draw is stored, the lead judge untouched."""
    seed = f"{case.case_number}|{method}|{now.isoformat()}|{secrets.token_hex(8)}"
    member = draw(candidates, seed)
    session.add(AssignmentDraw(case_id=case.id, method=method, candidates=sorted(candidates), seed=seed,
                               result_judge_id=member, reason=reason))
    return member


def leader_candidates(session: Session, case: Case, on: date) -> list[int]:
    """The leaders the policy names who may take the case: a division chief of the case's division, a
    vice president or president of its court (a court-wide grant); active people, by grants in force on `on`."""
    return sorted(_leaders(session, case, on) - set(barred(session, case)))


def _leaders(session: Session, case: Case, on: date) -> set[int]:
    roles = policy(session, case.court_id, "assignment", case.division_id).leader_cases.roles
    stmt = (select(User.id).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role.in_(roles), RoleGrant.court_id == case.court_id, User.active, in_force(on),
                   (RoleGrant.division_id == case.division_id) | RoleGrant.division_id.is_(None)))
    return set(session.exec(stmt).all())


def member_candidates(session: Session, case: Case, seated: set[int], on: date) -> list[int]:
    """The judges a panel seat is drawn among on `on`: the eligible judges not seated, without the leaders who
    supervise the case (leader_cases.roles). A chief or president drawn into a panel could no longer review its
    drafts (阅核) or supervise it; a leader sits on a panel when picked by name."""
    leaders = _leaders(session, case, on)
    return [j for j in eligible_judges(session, case, on) if j not in seated and j not in leaders]


def assign_to_leader(session: Session, case: Case, reason: str, now: datetime) -> AssignmentDraw:
    """健全院领导主要审理重大疑难复杂案件机制: a major, difficult, complex or four-type case (a reason the
    policy lists) is drawn among the leaders, reproducibly like any random draw."""
    if reason not in policy(session, case.court_id, "assignment", case.division_id).leader_cases.reasons:
        raise Refused("refused.cases.leader_case_reasons",
                      reasons=", ".join(policy(session, case.court_id, "assignment", case.division_id).leader_cases.reasons))
    candidates = leader_candidates(session, case, local_today(now))
    if not candidates:
        raise Refused("refused.cases.no_leader_to_draw_from")
    seed = f"{case.case_number}|{now.isoformat()}|{secrets.token_hex(8)}"
    return _store(session, case, "leader", candidates, seed, draw(candidates, seed), reason)


def assign_by_rule(session: Session, case: Case, now: datetime) -> AssignmentDraw:
    """The ordinary assignment: a case flagged in one of the policy's four-type categories is drawn among the
    leaders (when the court has one to draw from), any other case among the division's quota judges."""
    rule = policy(session, case.court_id, "assignment", case.division_id).leader_cases
    flagged = rule.four_type_categories and session.exec(select(FourTypeFlag.id).where(
        FourTypeFlag.case_id == case.id, FourTypeFlag.category.in_(rule.four_type_categories))).first()
    if flagged and leader_candidates(session, case, local_today(now)):
        return assign_to_leader(session, case, rule.four_type_reason, now)
    return assign_random(session, case, now)


def assign_designated(session: Session, case: Case, judge_id: int, reason: str, approver_id: int,
                      on: date) -> AssignmentDraw:
    refuse_barred(session, case, judge_id)
    if judge_id not in eligible_judges(session, case, on):
        raise Refused("refused.cases.designated_judge_not_eligible_quota_judge")
    return _store(session, case, "designated", [judge_id], "", judge_id, reason, approver_id)


def assign_related(session: Session, case: Case, on: date) -> AssignmentDraw | None:
    """A related or serial case goes to the judge who has the first, if that judge is still eligible on `on`."""
    first = session.get(Case, case.related_to_id) if case.related_to_id else None
    if not first or not first.lead_judge_id or first.lead_judge_id not in eligible_judges(session, case, on):
        return None
    return _store(session, case, "related", [first.lead_judge_id], "", first.lead_judge_id,
                  f"related to {first.case_number}")


def _store(session, case, method, candidates, seed, judge_id, reason, approver_id=None) -> AssignmentDraw:
    record = AssignmentDraw(case_id=case.id, method=method, candidates=candidates, seed=seed,
                            result_judge_id=judge_id, reason=reason, approved_by=approver_id)
    session.add(record)
    case.lead_judge_id = judge_id
    return record


def verify_draws(session: Session, case_id: int) -> list[tuple[AssignmentDraw, bool]]:
    """Re-run every stored random draw of the case; True where it gives the stored judge (a pick or a
    designation, stored without a seed, where the judge is among the stored candidates)."""
    rows = session.exec(select(AssignmentDraw).where(AssignmentDraw.case_id == case_id).order_by(AssignmentDraw.id)).all()
    return [(r, r.result_judge_id in r.candidates if r.seed == "" else draw(r.candidates, r.seed) == r.result_judge_id)
            for r in rows]
