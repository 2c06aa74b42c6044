"""The case lifecycle (statemachines/case.py) on a plain row: every step, every refusal, every reason."""
from statemachines.case import CaseMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

CLOSING = {"data": data(decision_doc_ref="（2025）辽0102民初1号判决书", closing_method="judgment")}
MEDIATION = {"data": data(document_ref="（2025）辽0102民初1号调解书")}
TERMINABLE = {"termination_procedure": True, "missing_checks": (), "months_passed": True}
KEEPS_STATE = {"open_exclusion", "close_exclusion", "request_extension", "request_reassignment"}


def _keeps(state: str, *events: str) -> list[Step]:
    return [Step(state, event, state) for event in events]


STEPS = [
    Step("filed", "assign", "assigned"),
    Step("filed", "withdraw", "withdrawn"),
    Step("filed", "transfer", "transferred"),
    Step("assigned", "start_trial", "in_trial"),
    Step("assigned", "serve", "in_trial"),
    Step("assigned", "hold_hearing", "in_trial"),
    *_keeps("assigned", *sorted(KEEPS_STATE), "convert_to_ordinary"),
    Step("assigned", "suspend", "suspended"),
    Step("assigned", "withdraw", "withdrawn"),
    Step("assigned", "transfer", "transferred"),
    *_keeps("in_trial", "serve", "hold_hearing", "adjourn_hearing", "deliberate", *sorted(KEEPS_STATE),
            "convert_to_ordinary"),
    Step("in_trial", "adjourn_hearing", "in_trial", model={"adjournments": 2}, facts={"max_adjournments": 3}),
    Step("in_trial", "suspend", "suspended"),
    Step("in_trial", "submit_for_review", "under_review"),
    Step("in_trial", "decide", "decided"),
    Step("in_trial", "withdraw", "withdrawn"),
    Step("in_trial", "mediate", "mediated", facts=MEDIATION),
    Step("in_trial", "transfer", "transferred"),
    *_keeps("under_review", "open_exclusion", "close_exclusion", "request_extension"),
    Step("under_review", "return_from_review", "in_trial"),
    Step("under_review", "decide", "decided"),
    *_keeps("suspended", "close_exclusion", "request_extension", "request_reassignment"),
    Step("suspended", "resume", "in_trial"),
    Step("suspended", "withdraw", "withdrawn"),
    Step("decided", "close", "closed", facts=CLOSING),
    Step("closed", "archive", "archived"),
    Step("withdrawn", "archive", "archived"),
    Step("mediated", "archive", "archived"),
    *[step for state in ("filed", "assigned", "in_trial", "under_review", "suspended", "decided", "closed",
                         "withdrawn", "mediated") for step in _keeps(state, "record_node", "note_trigger")],
    *[step for state in ("decided", "closed", "withdrawn", "mediated")
      for step in _keeps(state, "publish", "exempt_publication")],
    *[step for state in ("assigned", "in_trial", "suspended", "decided") for step in _keeps(state, "record_check")],
    *[Step(state, "approve_termination", "closed", facts=TERMINABLE) for state in ("in_trial", "decided")],
    Step("closed", "resume_enforcement", "in_trial", model={"closing_method": "终本"}),
]

REFUSALS = [
    Refused("within_adjournment_limit", "in_trial", "adjourn_hearing",
            r"at most 2 adjournment\(s\) of the hearing; 2 already recorded", model={"adjournments": 2}),
    Refused("within_adjournment_limit", "in_trial", "adjourn_hearing",
            r"at most 1 adjournment\(s\) of the hearing; 1 already recorded", model={"adjournments": 1},
            facts={"max_adjournments": 1}),
    *[Refused("is_simplified", state, "convert_to_ordinary", "only a case in civil simplified procedure",
              model={"procedure": "civil-first-ordinary"}) for state in ("assigned", "in_trial")],
    *[Refused("no_required_report_outstanding", state, "decide",
              r"cannot be decided: 2 report\(s\) required by the case's supervisor or panel have not been received",
              facts={"outstanding_reports": 2}) for state in ("in_trial", "under_review")],
    *[Refused("no_binding_step_pending", state, "decide",
              "cannot be decided yet: 审判委员会讨论未决; 阅核未通过",
              facts={"pending_steps": ("审判委员会讨论未决", "阅核未通过")}) for state in ("in_trial", "under_review")],
    Refused("no_similar_case_search_outstanding", "in_trial", "deliberate",
            "类案检索报告.* is required before deliberation", facts={"outstanding_searches": 1}),
    Refused("has_document_and_method", "decided", "close", "cannot close without a decision document reference"),
    Refused("has_document_and_method", "decided", "close", "cannot close without a decision document reference",
            facts={"data": data(decision_doc_ref="（2025）辽0102民初1号判决书", closing_method="")}),
    Refused("termination_checklist_complete", "in_trial", "approve_termination", "Only an enforcement case can terminate"),
    Refused("termination_checklist_complete", "decided", "approve_termination",
            "not yet recorded: 已穷尽财产调查措施", facts={**TERMINABLE, "missing_checks": ("已穷尽财产调查措施",)}),
    Refused("termination_checklist_complete", "decided", "approve_termination", "Less than 3 months since filing",
            facts={**TERMINABLE, "months_passed": False}),
    Refused("was_terminated", "closed", "resume_enforcement", "Only a case whose enforcement round was terminated",
            model={"closing_method": "判决"}),
    Refused("has_document", "in_trial", "mediate", r"mediation needs the reference of the mediation document",
            facts={"data": data(document_ref="")}),
]

TABLES = [Table(CaseMachine, {"adjournments": 0, "procedure": "civil-first-simplified"}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)

