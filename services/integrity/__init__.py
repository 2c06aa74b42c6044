"""三个规定 and 权责清单: interference records, monthly reports and quarterly summaries; the powers and duties
lists generated from the rules. Stands on cases (a record is about a case); supervision and quality review
read `facts.named_on_case` so a person named in a record never supervises or reviews that case."""
from policies.integrity import IntegrityPolicy
from services.cases.facts import ASSIGN_GATE
from services.integrity.facts import barred_from_case
from services.integrity.records import ACTION, KIND
from services.integrity.reports import INTERFERENCE_REPORTS, open_reports
from services.integrity.summaries import write_summaries
from services.kernel.registry import Sealed
from store.models import InterferenceRecord


def plug(registry) -> None:
    registry.add_lifecycle("integrity")
    registry.add_subject(INTERFERENCE_REPORTS)
    registry.add_sweep("interference_reports", open_reports)
    registry.add_sweep("interference_summaries", write_summaries)
    registry.add_gate(ASSIGN_GATE, barred_from_case)
    registry.add_sealed(Sealed(KIND, InterferenceRecord, ACTION))
    registry.add_policy("integrity", IntegrityPolicy)
    registry.add_notice_dir("integrity")
