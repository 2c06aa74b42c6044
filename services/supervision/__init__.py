"""四类案件 supervision and what binds a panel: flags, rules and proposals, supervision, required
reports, professional judges' meetings, the adjudication committee, 阅核 draft reviews, and the
gate they put on deciding a case."""
from policies.supervision import SupervisionPolicy
from services.cases.facts import DECIDE_GATE, CaseAssigned, CaseDecided, CaseFiled
from services.supervision.committee import COMMITTEE_REFERRALS
from services.supervision.draft_reviews import DRAFTS
from services.supervision.flags import flag_at_filing, start_report_duty
from services.supervision.gate import decide_facts
from services.supervision.meetings import MEETINGS
from services.supervision.proposals import PROPOSALS
from services.supervision.required_reports import REQUIRED_REPORTS
from services.supervision.sweeps import sweep_four_type
from services.supervision.subject import SUPERVISIONS, end_supervision


def plug(registry) -> None:
    registry.add_lifecycle("supervision")
    for kind in (SUPERVISIONS, REQUIRED_REPORTS, MEETINGS, COMMITTEE_REFERRALS, DRAFTS, PROPOSALS):
        registry.add_subject(kind)
    registry.add_sweep("four_type", sweep_four_type)
    registry.add_gate(DECIDE_GATE, decide_facts)
    registry.subscribe(CaseFiled, lambda cmd, event: flag_at_filing(cmd, event.case))
    registry.subscribe(CaseAssigned, lambda cmd, event: start_report_duty(cmd, event.case))
    registry.subscribe(CaseDecided, lambda cmd, event: end_supervision(cmd, event.case))
    registry.add_policy("supervision", SupervisionPolicy)
    registry.add_notice_dir("supervision")
