"""What cases tell the lifecycles above them, in the past tense (see services/kernel/events.py).

Supervision subscribes in its `plug()`: a filed case meets the automatic four-type rules, an
assigned case starts the lead judge's report duty, a decided case ends its supervision.
"""
from dataclasses import dataclass

from store.models import Case


@dataclass(frozen=True)
class CaseFiled:
    case: Case


@dataclass(frozen=True)
class CaseAssigned:
    case: Case


@dataclass(frozen=True)
class CaseDecided:
    case: Case


DECIDE_GATE = "cases.decide"
"""The gate other lifecycles put on deciding (and deliberating) a case: facts for the case machine's validators."""


ASSIGN_GATE = "cases.assign"
"""The gate other lifecycles put on who may take a case (assignment, designation, reassignment, a leader's draw):
`barred`, {user id: the refusal's message id}; integrity bars the people named in the case's interference records."""
