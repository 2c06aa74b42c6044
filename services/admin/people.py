"""Courts, divisions, teams, users and their role grants, kept by personnel or the court's administrator
within the courts their grants cover. A user is deactivated, never deleted (their cases, records and trace
keep pointing at them); a grant is ended on a date, never deleted. Every change is traced."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from policies.roles import ROLES
from services.admin.scope import court_of, require_people_keeper
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound, Refused
from services.kernel.record import record
from store.models import Court, Division, RoleGrant, Team, User
from store.models.org import COURT_LEVELS

GRANTABLE = tuple(r for r in ROLES if r != "system")


def _trace(session, actor, action, now, court_id, why="", subject_kind="courts", subject_id=None, **after):
    record(session, actor, action, at=now, subject_kind=subject_kind, subject_id=subject_id, court_id=court_id,
           why=why, after=after or None)


def create_court(session: Session, actor: Actor, *, code: str, name: str, level: str, parent_id: int,
                 now: datetime) -> Court:
    """A lower court under `parent_id`: the keeper must hold their role over the parent's subtree."""
    parent = require_people_keeper(session, actor, parent_id)
    if not actor.is_system and not any(g.include_subtree and parent.path.startswith(g.court_path)
                                       for g in actor.grants if g.role in ("personnel", "court_admin")):
        raise Refused("refused.admin.court_needs_subtree_keeper", code=parent.code)
    if level not in COURT_LEVELS:
        raise Invalid("level", "invalid.admin.one_of", value=", ".join(COURT_LEVELS))
    if session.exec(select(Court).where(Court.code == code)).first():
        raise Invalid("code", "invalid.admin.court_code_taken", code=code)
    court = Court(code=code, name=name, level=level, parent_id=parent.id)
    session.add(court)
    session.flush()
    court.path = f"{parent.path}{court.id}/"
    _trace(session, actor, "court.create", now, court.id, subject_id=court.id, code=code, name=name, level=level)
    return court


def create_division(session: Session, actor: Actor, court_id: int, *, name: str, category: str,
                    now: datetime) -> Division:
    require_people_keeper(session, actor, court_id)
    if session.exec(select(Division).where(Division.court_id == court_id, Division.name == name)).first():
        raise Invalid("name", "invalid.admin.division_name_taken", name=name)
    division = Division(court_id=court_id, name=name, category=category)
    session.add(division)
    session.flush()
    _trace(session, actor, "division.create", now, court_id, subject_kind="divisions", subject_id=division.id,
           name=name, category=category)
    return division


def create_team(session: Session, actor: Actor, division_id: int, *, name: str, fast_track: bool,
                now: datetime) -> Team:
    division = _division(session, actor, division_id)
    team = Team(division_id=division.id, name=name, fast_track=fast_track)
    session.add(team)
    session.flush()
    _trace(session, actor, "team.create", now, division.court_id, subject_kind="teams", subject_id=team.id,
           division_id=division.id, name=name, fast_track=fast_track)
    return team


def _division(session: Session, actor: Actor, division_id: int | None, court_id: int | None = None) -> Division:
    division = session.get(Division, division_id) if division_id else None
    if division is None or (court_id is not None and division.court_id != court_id):
        raise NotFound("not_found.admin.division", id=division_id)
    require_people_keeper(session, actor, division.court_id)
    return division


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    court_id: int
    staff_no: str | None = None
    division_id: int | None = None
    team_id: int | None = None
    title: str = ""
    language: str = "zh"


def create_user(session: Session, actor: Actor, new: NewUser, now: datetime) -> User:
    """An account with no password: the person sets one from an invitation link (services/admin/invitations)."""
    require_people_keeper(session, actor, new.court_id)
    if new.division_id is not None:
        _division(session, actor, new.division_id, new.court_id)
    if new.team_id is not None:
        team = session.get(Team, new.team_id)
        if team is None or team.division_id != new.division_id:
            raise Invalid("team_id", "invalid.admin.team_not_in_division")
    username = new.username.strip().lower()
    if not username or session.exec(select(User).where(User.username == username)).first():
        raise Invalid("username", "invalid.admin.username_empty_or_taken", username=username)
    if new.staff_no and session.exec(select(User).where(User.staff_no == new.staff_no)).first():
        raise Invalid("staff_no", "invalid.admin.staff_no_taken", staff_no=new.staff_no)
    user = User(username=username, display_name=new.display_name, court_id=new.court_id, staff_no=new.staff_no or None,
                division_id=new.division_id, team_id=new.team_id, title=new.title, language=new.language)
    session.add(user)
    session.flush()
    _trace(session, actor, "user.create", now, new.court_id, subject_kind="users", subject_id=user.id,
           username=username, display_name=new.display_name, staff_no=new.staff_no, division_id=new.division_id)
    return user


def user_here(session: Session, actor: Actor, user_id: int) -> User:
    """The user, if they belong to a court the actor keeps (404 otherwise, as for anything out of sight)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("not_found.admin.user", id=user_id)
    require_people_keeper(session, actor, user.court_id)
    return user


def deactivate_user(session: Session, actor: Actor, user_id: int, *, why: str, now: datetime) -> User:
    """The account can no longer log in nor receive work; its rows and history stay."""
    user = user_here(session, actor, user_id)
    if not why.strip():
        raise Invalid("why", "invalid.admin.why_deactivated")
    if user.id == actor.user_id:
        raise Refused("refused.admin.own_account")
    if not user.active:
        raise Refused("refused.admin.already_deactivated", username=user.username)
    user.active = False
    session.add(user)
    _trace(session, actor, "user.deactivate", now, user.court_id, why=why, subject_kind="users", subject_id=user.id)
    return user


def require_password_change(session: Session, actor: Actor, user_id: int, *, now: datetime) -> User:
    """The next login must choose a new password before anything else."""
    user = user_here(session, actor, user_id)
    user.must_change_password = True
    session.add(user)
    _trace(session, actor, "user.require_password_change", now, user.court_id, subject_kind="users",
           subject_id=user.id)
    return user


def grant_role(session: Session, actor: Actor, user_id: int, *, role: str, court_id: int,
               division_id: int | None = None, starts_on: date | None = None, ends_on: date | None = None,
               include_subtree: bool = False, now: datetime) -> RoleGrant:
    """A role in a court the actor keeps (court-wide, or one division), from and until the dates given."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound("not_found.admin.user", id=user_id)
    court = require_people_keeper(session, actor, court_id)
    require_people_keeper(session, actor, user.court_id)
    if role not in GRANTABLE:
        raise Invalid("role", "invalid.admin.unknown_role", value=role, roles=",".join(GRANTABLE))
    if division_id is not None:
        _division(session, actor, division_id, court_id)
    if starts_on and ends_on and ends_on < starts_on:
        raise Invalid("ends_on", "invalid.admin.grant_ends_before_start")
    if include_subtree and not actor.is_system and not any(
            g.include_subtree and court.path.startswith(g.court_path) for g in actor.grants
            if g.role in ("personnel", "court_admin")):
        raise Refused("refused.admin.subtree_grant_needs_subtree_keeper")
    grant = session.exec(select(RoleGrant).where(
        RoleGrant.user_id == user_id, RoleGrant.role == role, RoleGrant.court_id == court_id,
        RoleGrant.division_id == division_id if division_id is not None else RoleGrant.division_id.is_(None))).first()
    before = _grant_state(grant) if grant else None
    grant = grant or RoleGrant(user_id=user_id, role=role, court_id=court_id, division_id=division_id)
    grant.starts_on, grant.ends_on, grant.include_subtree = starts_on, ends_on, include_subtree
    session.add(grant)
    session.flush()
    record(session, actor, "role.grant", at=now, subject_kind="users", subject_id=user_id, court_id=court_id,
           before=before, after=_grant_state(grant))
    return grant


def end_grant(session: Session, actor: Actor, grant_id: int, *, ends_on: date, why: str, now: datetime) -> RoleGrant:
    """The grant counts until `ends_on` (today or later: a grant is never ended in the past)."""
    grant = session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFound("not_found.admin.grant", id=grant_id)
    require_people_keeper(session, actor, grant.court_id)
    if ends_on < local_today(now):
        raise Invalid("ends_on", "invalid.admin.grant_end_past")
    before = _grant_state(grant)
    grant.ends_on = ends_on
    session.add(grant)
    record(session, actor, "role.end", at=now, subject_kind="users", subject_id=grant.user_id,
           court_id=grant.court_id, why=why, before=before, after=_grant_state(grant))
    return grant


def _grant_state(grant: RoleGrant) -> dict:
    return {"grant_id": grant.id, "role": grant.role, "court_id": grant.court_id, "division_id": grant.division_id,
            "include_subtree": grant.include_subtree,
            "starts_on": grant.starts_on.isoformat() if grant.starts_on else None,
            "ends_on": grant.ends_on.isoformat() if grant.ends_on else None}


def courts_kept(session: Session, actor: Actor) -> list[Court]:
    """The courts where the actor keeps people (their own, and those below a subtree grant)."""
    courts = session.exec(select(Court).order_by(Court.path)).all()
    keep = [g for g in actor.grants if g.role in ("personnel", "court_admin")]
    return [c for c in courts if actor.is_system or any(g.covers(c.id, c.path, None) for g in keep)]


def people_of(session: Session, actor: Actor, court_id: int) -> list[tuple[User, list[RoleGrant]]]:
    """The court's users (active or not) with their grants, for the people page and the API."""
    require_people_keeper(session, actor, court_id)
    users = session.exec(select(User).where(User.court_id == court_id).order_by(User.username)).all()
    grants: dict[int, list[RoleGrant]] = {}
    ids = [u.id for u in users]
    for g in session.exec(select(RoleGrant).where(RoleGrant.user_id.in_(ids))).all() if ids else []:
        grants.setdefault(g.user_id, []).append(g)
    return [(u, grants.get(u.id, [])) for u in users]


def divisions_of(session: Session, court_id: int) -> list[Division]:
    court_of(session, court_id)
    return list(session.exec(select(Division).where(Division.court_id == court_id).order_by(Division.name)).all())
