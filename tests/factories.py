"""Small, explicit fixtures for tests: a court tree and people with roles."""
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from services.kernel.passwords import hash_password
from store.models import Court, Division, RoleGrant, Team, User

PASSWORD = "pass-1234"
_HASH: list[str] = []


def password_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


@dataclass
class World:
    courts: dict[str, Court] = field(default_factory=dict)
    divisions: dict[str, Division] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def add_court(session: Session, world: World, key: str, code: str, name: str, level: str, parent: str | None = None):
    parent_row = world.courts.get(parent) if parent else None
    court = Court(code=code, name=name, level=level, parent_id=parent_row.id if parent_row else None)
    session.add(court)
    session.flush()
    court.path = f"{parent_row.path if parent_row else '/'}{court.id}/"
    world.courts[key] = court
    return court


def add_user(session: Session, world: World, username: str, court: str, roles: list[str], division: str | None = None,
             quota_judge: bool = False, language: str = "zh", subtree: bool = False, staff_no: str | None = None):
    court_row, division_row = world.courts[court], world.divisions.get(division) if division else None
    user = User(username=username, display_name=username, password_hash=password_hash(), court_id=court_row.id,
                division_id=division_row.id if division_row else None, is_quota_judge=quota_judge,
                quota_since=date(2019, 1, 1) if quota_judge else None, language=language, staff_no=staff_no)
    session.add(user)
    session.flush()
    for role in roles:
        session.add(RoleGrant(user_id=user.id, role=role, court_id=court_row.id, include_subtree=subtree,
                              division_id=division_row.id if division_row and role in DIVISION_ROLES else None))
    world.users[username] = user
    return user


DIVISION_ROLES = {"judge", "assistant", "clerk", "division_chief"}


def judges_in_and_out_of_force(db) -> World:
    """small_world on 2025-01-07: judge_b's judge grant starts tomorrow (2025-01-08), judge_c's ended yesterday."""
    world = small_world(db)
    date_grant(db, world, "judge_b", "judge", starts_on="2025-01-08")
    date_grant(db, world, "judge_c", "judge", ends_on="2025-01-06")
    return world


def date_grant(db, world: World, username: str, role: str, **dates: str) -> None:
    """Give the person's grant of `role` a start and/or end date: starts_on="2025-01-08", ends_on=…"""
    with db.write() as s:
        grant = s.exec(select(RoleGrant).where(RoleGrant.user_id == world.users[username].id,
                                               RoleGrant.role == role)).one()
        for name, day in dates.items():
            setattr(grant, name, date.fromisoformat(day))
        s.add(grant)


def small_world(db) -> World:
    """A high court, an intermediate court, two basic courts; a civil division in each basic court."""
    world = World()
    with db.write() as s:
        add_court(s, world, "high", "辽", "辽宁省高级人民法院", "high")
        add_court(s, world, "mid", "辽01", "沈阳市中级人民法院", "intermediate", "high")
        add_court(s, world, "hp", "辽0102", "沈阳市和平区人民法院", "basic", "mid")
        add_court(s, world, "sh", "辽0103", "沈阳市沈河区人民法院", "basic", "mid")
        for key, court in (("hp_civil", "hp"), ("hp_criminal", "hp"), ("sh_civil", "sh")):
            division = Division(court_id=world.courts[court].id, name=key, category=key.split("_")[1])
            s.add(division)
            s.flush()
            world.divisions[key] = division
        team = Team(division_id=world.divisions["hp_civil"].id, name="速裁团队", fast_track=True)
        s.add(team)
        s.flush()
        world.teams["hp_fast"] = team
        for name in ("judge_a", "judge_b", "judge_c"):
            add_user(s, world, name, "hp", ["judge"], "hp_civil", quota_judge=True)
        add_user(s, world, "judge_sh", "sh", ["judge"], "sh_civil", quota_judge=True)
        add_user(s, world, "clerk_a", "hp", ["clerk"], "hp_civil")
        add_user(s, world, "filing", "hp", ["filing_clerk"])
        add_user(s, world, "chief", "hp", ["division_chief", "judge"], "hp_civil", quota_judge=True)
        add_user(s, world, "chief_sh", "sh", ["division_chief"], "sh_civil")
        add_user(s, world, "vp", "hp", ["vice_president"])
        add_user(s, world, "president", "hp", ["president"])
        add_user(s, world, "mid_president", "mid", ["president"])
        add_user(s, world, "mid_office", "mid", ["trial_office"], subtree=True)
        add_user(s, world, "office", "hp", ["trial_office"])
        add_user(s, world, "english_judge", "hp", ["judge"], "hp_civil", quota_judge=True, language="en")
    return world
