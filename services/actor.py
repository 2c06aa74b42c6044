"""Who is acting, and where their roles reach (courts, divisions, subtrees)."""
from dataclasses import dataclass, field

from sqlmodel import Session, select

from store.models import Court, RoleGrant, User


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


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str = ""
    language: str = "zh"
    grants: tuple[Grant, ...] = field(default_factory=tuple)

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

    def visible_court_paths(self) -> list[tuple[int, str, bool]]:
        return [(g.court_id, g.court_path, g.include_subtree) for g in self.grants]


def load_actor(session: Session, user: User) -> Actor:
    rows = session.exec(
        select(RoleGrant, Court.path).join(Court, Court.id == RoleGrant.court_id).where(RoleGrant.user_id == user.id)
    ).all()
    grants = tuple(Grant(g.role, g.court_id, path, g.division_id, g.include_subtree) for g, path in rows)
    return Actor(user.id, user.username, user.display_name, user.language, grants)
