"""The names of the roles a court grants: the one list the role grants and every policy file agree on.

A policy field that names a role is typed `Role`, so a misspelt role in a YAML file stops the load
with its file and key instead of quietly matching no one.
"""
from typing import Annotated

from pydantic import AfterValidator

ROLES = (
    "judge", "assistant", "clerk", "filing_clerk", "division_chief", "vice_president",
    "president", "trial_office", "inspection", "personnel", "committee", "court_admin", "assessor", "system",
)

PEOPLE_KEEPERS = frozenset({"personnel", "court_admin"})
"""政治部 and the court's administrator: they keep the court's people, divisions, teams and role grants."""

POLICY_KEEPERS = frozenset({"court_admin", "trial_office"})
"""The court's administrator and 审管办: they change the court's policies (overrides)."""

LEADERS = frozenset({"division_chief", "vice_president", "president"})
"""庭长、副院长、院长: the leaders who approve, supervise, convene meetings and review drafts up the chain."""


POOL_ROLES = frozenset({"assessor"})
"""人民陪审员: a people's assessor is not court staff (人民陪审员法 第六条); the grant only puts the person in
the court's pool, from which panels draw (services/cases/panels.py). It lets its holder see and do nothing."""


def known_role(name: str) -> str:
    if name not in ROLES:
        raise ValueError(f"unknown role {name!r}; known roles: {', '.join(ROLES)}")
    return name


Role = Annotated[str, AfterValidator(known_role)]
