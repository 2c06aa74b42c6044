"""Who is acting, and where their roles reach (courts, divisions, subtrees)."""
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import and_, bindparam, false, or_, true
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from policies.roles import POOL_ROLES
from services.kernel.clock import local_today

from store.models import Court, RoleGrant, User
from store.prepared import Prepared
from store.recipients import in_force as grant_in_force


@dataclass(frozen=True)
class Grant:
    role: str
    court_id: int
    court_path: str
    division_id: int | None
    include_subtree: bool

    def covers(self, court_id: int, court_path: str, division_id: int | None) -> bool:
        if self.include_subtree and court_path.startswith(self.court_path):
            return True
        return court_id == self.court_id and (self.division_id is None or self.division_id == division_id)

    def covering(self, court, division):
        """`covers` as a SQL clause on a table's court and division columns (`division` None: the court as a whole,
        which only a court-wide grant covers)."""
        here = court == self.court_id
        if self.division_id is not None:
            here = and_(here, division == self.division_id) if division is not None else false()
        if not self.include_subtree:
            return here
        below = court.in_(select(Court.id).where(Court.path.startswith(self.court_path)))  # the court itself too
        return below if self.division_id is None else or_(here, below)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str = ""
    language: str = "zh"
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    must_change_password: bool = False  # an administrator's reset: nothing but the change until it is made
    today: date = field(default_factory=lambda: local_today(datetime.now(timezone.utc)))
    """The court day the grants are read for: who is over the actor is read for the same day (need_to_know)."""

    @classmethod
    def system(cls) -> "Actor":
        return cls(None, "system", "系统", grants=())

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants} | ({"system"} if self.is_system else set())

    def can_see(self, court_id: int, court_path: str, division_id: int | None = None) -> bool:
        """Any grant that covers the place lets the actor see it; a court-wide grant covers every division."""
        if self.is_system:
            return True
        return any(g.covers(court_id, court_path, division_id) for g in self.grants)

    def roles_at(self, court_id: int, court_path: str, division_id: int | None) -> set[str]:
        if self.is_system:
            return {"system"}
        return {g.role for g in self.grants if g.covers(court_id, court_path, division_id)}

    def covering(self, court, division, roles: frozenset[str] | set[str] | None = None):
        """`can_see` (or, given `roles`, whether `roles_at` holds one of them) as a SQL clause on a table's court and
        division columns: the same grants, read for many rows at once."""
        if self.is_system:
            return true() if roles is None or "system" in roles else false()
        clauses = [g.covering(court, division) for g in self.grants if roles is None or g.role in roles]
        return or_(*clauses) if clauses else false()

    def visible_court_paths(self) -> list[tuple[int, str, bool]]:
        return [(g.court_id, g.court_path, g.include_subtree) for g in self.grants]


ACTOR = Prepared(
    select(User.username, User.display_name, User.language, User.must_change_password, RoleGrant.role,
           RoleGrant.court_id, Court.path, RoleGrant.division_id, RoleGrant.include_subtree)
    .outerjoin(RoleGrant, and_(RoleGrant.user_id == User.id, grant_in_force(bindparam("today"))))
    .outerjoin(Court, Court.id == RoleGrant.court_id)
    .where(User.id == bindparam("user_id"), User.active.is_(True)))
"""The user and the grants in force on `today`: read on every API request, so compiled once (store/prepared.py)."""


def actor_by_id(session: Session, user_id: int) -> Actor | None:
    """The active user's actor with the grants in force today, in one query: every API request reads it.
    A grant before its start or after its end lets its holder do nothing; nor does a pool's (POOL_ROLES)."""
    return actor_on(session.connection(), user_id)


def actor_on(connection: Connection, user_id: int) -> Actor | None:
    """actor_by_id on a connection: the API's bearer check reads it without a session of its own."""
    today = local_today(datetime.now(timezone.utc))
    rows = ACTOR.rows(connection, {"user_id": user_id, "today": today})
    if not rows:
        return None
    grants = tuple(Grant(r["role"], r["court_id"], r["path"], r["division_id"], r["include_subtree"]) for r in rows
                   if r["role"] and r["role"] not in POOL_ROLES)
    first = rows[0]
    return Actor(user_id, first["username"], first["display_name"], first["language"], grants,
                 bool(first["must_change_password"]), today)


def load_actor(session: Session, user: User) -> Actor | None:
    return actor_by_id(session, user.id)
