"""The case lifecycle (案件生命周期), SPEC §1.

filed → assigned → in_trial → (under_review) → decided → closed → archived; suspended
stops the clock; withdrawn, mediated and transferred are other ways out. Procedural
milestones, excluded periods, extension and reassignment requests are events that keep
the state. The rules a person can break are validators that refuse with the reason:
closing without a document and method, adjourning past the procedure's limit, deciding
while a supervisor's required report is outstanding, or while a step that binds the panel
is pending (an adjudication committee referral, a meeting view the panel has not answered,
a draft the policy's 阅核 chain has not approved), deliberating before a required
similar-case search report. Process nodes (record_node, note_trigger) and publication online
(publish, exempt_publication) are events that keep the state, in every state but the final ones.
Terminating this round of enforcement (终本) closes only with its checklist complete, and can be resumed.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class CaseMachine(StateMachine):
    filed = State(initial=True)
    assigned = State()
    in_trial = State()
    under_review = State()
    suspended = State()
    decided = State()
    closed = State()
    archived = State(final=True)
    withdrawn = State()
    mediated = State()
    transferred = State(final=True)

    assign = filed.to(assigned)
    start_trial = assigned.to(in_trial)
    serve = assigned.to(in_trial) | in_trial.to.itself(internal=True)
    hold_hearing = assigned.to(in_trial) | in_trial.to.itself(internal=True)
    adjourn_hearing = in_trial.to.itself(internal=True, validators="within_adjournment_limit")
    deliberate = in_trial.to.itself(internal=True, validators="no_similar_case_search_outstanding")
    open_exclusion = (assigned.to.itself(internal=True) | in_trial.to.itself(internal=True)
                      | under_review.to.itself(internal=True))
    close_exclusion = (assigned.to.itself(internal=True) | in_trial.to.itself(internal=True)
                       | under_review.to.itself(internal=True) | suspended.to.itself(internal=True))
    request_extension = (assigned.to.itself(internal=True) | in_trial.to.itself(internal=True)
                         | under_review.to.itself(internal=True) | suspended.to.itself(internal=True))
    convert_to_ordinary = (assigned.to.itself(internal=True, validators="is_simplified")
                           | in_trial.to.itself(internal=True, validators="is_simplified"))
    request_reassignment = (assigned.to.itself(internal=True) | in_trial.to.itself(internal=True)
                            | suspended.to.itself(internal=True))
    suspend = assigned.to(suspended) | in_trial.to(suspended)
    resume = suspended.to(in_trial)
    submit_for_review = in_trial.to(under_review)
    return_from_review = under_review.to(in_trial)
    decide = (in_trial.to(decided, validators=["no_required_report_outstanding", "no_binding_step_pending"])
              | under_review.to(decided, validators=["no_required_report_outstanding", "no_binding_step_pending"]))
    close = decided.to(closed, validators="has_document_and_method")
    withdraw = (filed.to(withdrawn) | assigned.to(withdrawn) | in_trial.to(withdrawn) | suspended.to(withdrawn))
    mediate = in_trial.to(mediated, validators="has_document")
    transfer = filed.to(transferred) | assigned.to(transferred) | in_trial.to(transferred)
    archive = closed.to(archived) | withdrawn.to(archived) | mediated.to(archived)
    record_check = (assigned.to.itself(internal=True) | in_trial.to.itself(internal=True)
                    | suspended.to.itself(internal=True) | decided.to.itself(internal=True))
    approve_termination = (in_trial.to(closed, validators="termination_checklist_complete")
                           | decided.to(closed, validators="termination_checklist_complete"))
    resume_enforcement = closed.to(in_trial, validators="was_terminated")
    record_node = (filed.to.itself(internal=True) | assigned.to.itself(internal=True)
                   | in_trial.to.itself(internal=True) | under_review.to.itself(internal=True)
                   | suspended.to.itself(internal=True) | decided.to.itself(internal=True)
                   | closed.to.itself(internal=True) | withdrawn.to.itself(internal=True)
                   | mediated.to.itself(internal=True))
    note_trigger = (filed.to.itself(internal=True) | assigned.to.itself(internal=True)
                    | in_trial.to.itself(internal=True) | under_review.to.itself(internal=True)
                    | suspended.to.itself(internal=True) | decided.to.itself(internal=True)
                    | closed.to.itself(internal=True) | withdrawn.to.itself(internal=True)
                    | mediated.to.itself(internal=True))
    publish = (decided.to.itself(internal=True) | closed.to.itself(internal=True)
               | withdrawn.to.itself(internal=True) | mediated.to.itself(internal=True))
    exempt_publication = (decided.to.itself(internal=True) | closed.to.itself(internal=True)
                          | withdrawn.to.itself(internal=True) | mediated.to.itself(internal=True))

    def within_adjournment_limit(self, max_adjournments: int = 2, **_):
        if self.model.adjournments >= max_adjournments:
            raise Refusal("refused.machine.procedure_allows_at_most_adjournment_hearing", max_adjournments=max_adjournments, adjournments=self.model.adjournments)

    def is_simplified(self, **_):
        if self.model.procedure != "civil-first-simplified":
            raise Refusal("refused.machine.only_case_civil_simplified_procedure_can")

    def no_required_report_outstanding(self, outstanding_reports: int = 0, **_):
        if outstanding_reports:
            raise Refusal("refused.machine.case_cannot_be_decided_report_required", outstanding_reports=outstanding_reports)

    def no_binding_step_pending(self, pending_steps: tuple[str, ...] = (), **_):
        if pending_steps:
            raise Refusal("refused.machine.case_cannot_be_decided_yet", steps="; ".join(pending_steps))

    def no_similar_case_search_outstanding(self, outstanding_searches: int = 0, **_):
        if outstanding_searches:
            raise Refusal("refused.machine.similar_case_search_report_required_before")

    def has_document_and_method(self, data=None, **_):
        if not (data and getattr(data, "decision_doc_ref", "") and getattr(data, "closing_method", "")):
            raise Refusal("refused.machine.case_cannot_close_without_decision_document")

    def termination_checklist_complete(self, termination_procedure: bool = False, missing_checks: tuple = (),
                                       months_passed: bool = False, months_since_filing: int = 3, **_):
        if not termination_procedure:
            raise Refusal("refused.machine.termination_only_enforcement")
        if missing_checks:
            raise Refusal("refused.machine.termination_checks_missing", items="、".join(missing_checks))
        if not months_passed:
            raise Refusal("refused.machine.termination_too_soon", months=months_since_filing)

    def was_terminated(self, **_):
        if self.model.closing_method != "终本":
            raise Refusal("refused.machine.only_terminated_enforcement_resumes")

    def has_document(self, data=None, **_):
        if not (data and getattr(data, "document_ref", "")):
            raise Refusal("refused.machine.mediation_needs_reference_mediation_document")
