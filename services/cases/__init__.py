"""Cases: filing, assignment, the case machine's events, extensions, reassignments, deadlines and
excluded periods, parties, the case sweeps (warnings, overdue, 12/18/36 months long-pending).

Cases stand lowest among the lifecycles: they import none of them. What higher ones must know
(a case filed, assigned, decided) is published as past-tense events (services/cases/events.py),
and what they put on a decision is a gate they register (`DECIDE_GATE`)."""
from policies.assignment import AssignmentPolicy
from policies.enforcement import EnforcementPolicy
from policies.nodes import NodePolicy
from policies.time_limits import TimeLimitPolicy
from services.cases.extensions import EXTENSIONS
from services.cases.reassignments import REASSIGNMENTS
from services.cases.subject import CASES
from services.cases.nodes import sweep_nodes
from services.cases.sweeps import sweep_cases


def plug(registry) -> None:
    registry.add_lifecycle("cases")
    for kind in (CASES, EXTENSIONS, REASSIGNMENTS):
        registry.add_subject(kind)
    registry.add_policy_sweep(sweep_cases)
    registry.add_policy_sweep(sweep_nodes)
    registry.add_policy("time_limits", TimeLimitPolicy)
    registry.add_policy("assignment", AssignmentPolicy)
    registry.add_policy("nodes", NodePolicy)
    registry.add_policy("enforcement", EnforcementPolicy)
    registry.add_notice_dir("cases")
