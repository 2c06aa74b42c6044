"""What the lifecycles above cases may read or call of them, and nothing else.

Supervision acts on a case through `on_case` and reacts to its past-tense events; the quota exit
asks for a reassignment when a judge leaves; boards read which cases an actor may see."""
from services.cases.commands import on_case
from services.cases.events import ASSIGN_GATE, DECIDE_GATE, CaseAssigned, CaseDecided, CaseFiled
from services.cases.overview import visible_courts
from services.cases.payloads import RequestReassignment
from services.cases.queries import visibility
from services.cases.reassignments import create_reassignment_request
from services.cases.subject import CASES

__all__ = ["ASSIGN_GATE", "CASES", "DECIDE_GATE", "CaseAssigned", "CaseDecided", "CaseFiled", "RequestReassignment",
           "create_reassignment_request", "on_case", "visibility", "visible_courts"]
