"""The names of the roles a court grants: the one list the role grants and every policy file agree on.

A policy field that names a role is typed `Role`, so a misspelt role in a YAML file stops the load
with its file and key instead of quietly matching no one.
"""
from typing import Annotated

from pydantic import AfterValidator

ROLES = (
    "judge", "assistant", "clerk", "filing_clerk", "division_chief", "vice_president",
    "president", "trial_office", "inspection", "personnel", "committee", "system",
)


def known_role(name: str) -> str:
    if name not in ROLES:
        raise ValueError(f"unknown role {name!r}; known roles: {', '.join(ROLES)}")
    return name


Role = Annotated[str, AfterValidator(known_role)]
