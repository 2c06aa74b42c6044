"""Where feature pages plug into the shared shell: navigation links and sections of the case page.

A feature registers at import (its page module is in api/features.py) instead of editing
base.html or case.html, so supervision, review, petitions, … each keep their own files.
"""
from collections.abc import Callable
from dataclasses import dataclass


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


NAV_LINKS: list[NavLink] = []
CASE_SECTIONS: list[CaseSection] = []


def add_nav_link(text_key: str, href: str, roles: set[str] | None = None) -> None:
    NAV_LINKS.append(NavLink(text_key, href, frozenset(roles or ())))


def add_case_section(template: str, load: Callable[..., dict], order: int = 100) -> None:
    CASE_SECTIONS.append(CaseSection(template, load, order))


def nav_links(actor) -> list[NavLink]:
    return [link for link in NAV_LINKS if actor is not None and link.shown_to(actor)]


def case_sections(session, actor, case, today) -> list[tuple[str, dict]]:
    """Each registered section's partial with its context, in order."""
    return [(s.template, s.load(session, actor, case, today)) for s in sorted(CASE_SECTIONS, key=lambda s: s.order)]
