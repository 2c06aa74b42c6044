"""Where lifecycle pages plug into the shared shell: navigation links and sections of the case page
(their texts are in the lifecycle's catalog, i18n/locale/*/LC_MESSAGES/<lifecycle>.po).

The app factory makes one Shell and asks each lifecycle's page module `plug(shell)` (see
api/features.py), so supervision, review, petitions, … keep their own files and edit neither
base.html nor case.html. Pages read the shell from `request.app.state.shell`.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request



# The navigation's menus, by the job a person comes to do (texts `nav_group.<key>` in shell.po), in this order.
NAV_GROUPS = ("casework", "oversight", "quality", "manage")


@dataclass(frozen=True)
class NavLink:
    text_key: str
    href: str
    roles: frozenset[str] = frozenset()  # empty: everyone logged in
    group: str = "casework"

    def shown_to(self, actor) -> bool:
        return not self.roles or bool(self.roles & actor.roles)


@dataclass(frozen=True)
class NavGroup:
    key: str
    links: list[NavLink]


# What every logged-in person finds whichever lifecycles are plugged.
CORE_LINKS = (NavLink("my_tasks", "/tasks"), NavLink("cases", "/cases"), NavLink("my_cases", "/cases/mine"),
              NavLink("overview", "/overview", group="quality"), NavLink("process_map", "/process", group="quality"))


@dataclass(frozen=True)
class CaseSection:
    """`load(session, actor, case, today) -> dict` gives the context of `template` (a partial)."""
    template: str
    load: Callable[..., dict]
    order: int = 100


@dataclass(frozen=True)
class SubjectSection:
    """A kind's own part of its subject page: `load(session, actor, subject_id, today) -> dict` gives the
    context of `template` (a partial, reading `s`), shown under the subject's facts."""
    kind: str
    template: str
    load: Callable[..., dict]


@dataclass
class Shell:
    nav: list[NavLink] = field(default_factory=lambda: list(CORE_LINKS))
    sections: list[CaseSection] = field(default_factory=list)
    subject_sections: list[SubjectSection] = field(default_factory=list)

    def add_nav_link(self, text_key: str, href: str, roles: set[str] | None = None, group: str = "casework") -> None:
        """A link in the menu `group` (one of NAV_GROUPS) for `roles` (everyone logged in if none)."""
        if group not in NAV_GROUPS:
            raise ValueError(f"nav group {group!r} is not one of {NAV_GROUPS}")
        self.nav.append(NavLink(text_key, href, frozenset(roles or ()), group))

    def add_case_section(self, template: str, load: Callable[..., dict], order: int = 100) -> None:
        self.sections.append(CaseSection(template, load, order))

    def add_subject_section(self, kind: str, template: str, load: Callable[..., dict]) -> None:
        self.subject_sections.append(SubjectSection(kind, template, load))

    def kind_sections(self, session, actor, kind: str, subject_id: int, today) -> list[tuple[str, dict]]:
        """The partials a kind plugged into its subject page, with their context."""
        return [(s.template, s.load(session, actor, subject_id, today)) for s in self.subject_sections if s.kind == kind]

    def nav_links(self, actor) -> list[NavLink]:
        return [link for link in self.nav if actor is not None and link.shown_to(actor)]

    def nav_groups(self, actor) -> list[NavGroup]:
        """The menus this person sees, each with its links in the order they were plugged; empty menus left out."""
        links = self.nav_links(actor)
        groups = [NavGroup(key, [link for link in links if link.group == key]) for key in NAV_GROUPS]
        return [group for group in groups if group.links]

    def case_sections(self, session, actor, case, today) -> list[tuple[str, dict]]:
        """Each plugged section's partial with its context, in order."""
        return [(s.template, s.load(session, actor, case, today)) for s in sorted(self.sections, key=lambda s: s.order)]


def shell_of(request: Request) -> Shell:
    return request.app.state.shell
