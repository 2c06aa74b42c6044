"""Where lifecycle pages plug into the shared shell: navigation links and sections of the case page
(their texts are in the lifecycle's catalog, i18n/locale/*/LC_MESSAGES/<lifecycle>.po).

The app factory makes one Shell and asks each lifecycle's page module `plug(shell)` (see
api/features.py), so supervision, review, petitions, … keep their own files and edit neither
base.html nor case.html. Pages read the shell from `request.app.state.shell`.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request



@dataclass(frozen=True)
class NavLink:
    text_key: str
    href: str
    roles: frozenset[str] = frozenset()  # empty: everyone logged in

    def shown_to(self, actor) -> bool:
        return not self.roles or bool(self.roles & actor.roles)


@dataclass(frozen=True)
class CaseSection:
    """`load(session, actor, case, today) -> dict` gives the context of `template` (a partial)."""
    template: str
    load: Callable[..., dict]
    order: int = 100


@dataclass
class Shell:
    nav: list[NavLink] = field(default_factory=list)
    sections: list[CaseSection] = field(default_factory=list)

    def add_nav_link(self, text_key: str, href: str, roles: set[str] | None = None) -> None:
        self.nav.append(NavLink(text_key, href, frozenset(roles or ())))

    def add_case_section(self, template: str, load: Callable[..., dict], order: int = 100) -> None:
        self.sections.append(CaseSection(template, load, order))

    def nav_links(self, actor) -> list[NavLink]:
        return [link for link in self.nav if actor is not None and link.shown_to(actor)]

    def case_sections(self, session, actor, case, today) -> list[tuple[str, dict]]:
        """Each plugged section's partial with its context, in order."""
        return [(s.template, s.load(session, actor, case, today)) for s in sorted(self.sections, key=lambda s: s.order)]


def shell_of(request: Request) -> Shell:
    return request.app.state.shell
