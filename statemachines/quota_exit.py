"""Quota exit (员额退出), SPEC §6: the due process of a mandatory or assessment exit, and the
simpler path of a natural exit or an application.

Due process: opened → notified (the judge receives the grounds and evidence) → statement_period
(statements, evidence files, a hearing request, or a waiver) → committee_review → decided
(exit / no_exit / observation) → the decision served → reconsideration_window → reconsideration
→ optional review_by_higher_court → effective | dismissed. The rules a person can break are
validators that refuse with the reason: the review cannot start before the statement period
ends or the judge waives; no decision while a submission of the judge is not attached or a
hearing the judge asked for has not been held; a reconsideration or review outcome is never
harsher than the outcome it revisits (不加重); the judge's applications only inside their windows.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal

SEVERITY = {"no_exit": 0, "observation": 1, "exit": 2}


def _after(window: str, windows: dict, today) -> bool:
    closes_on = windows.get(window)
    return closes_on is not None and today is not None and today > closes_on


class DueProcessMachine(StateMachine):
    opened = State(initial=True)
    notified = State()
    statement_period = State()
    committee_review = State()
    decided = State()
    reconsideration_window = State()
    reconsideration = State()
    review_by_higher_court = State()
    effective = State(final=True)
    dismissed = State(final=True)

    add_evidence = (opened.to.itself(internal=True)
                    | statement_period.to.itself(internal=True, validators="statement_window_open")
                    | committee_review.to.itself(internal=True))
    notify = opened.to(notified)
    acknowledge = notified.to(statement_period)
    record_service = notified.to(statement_period)
    file_statement = (statement_period.to.itself(internal=True, validators="statement_window_open")
                      | committee_review.to.itself(internal=True))
    ask_hearing = statement_period.to.itself(internal=True, validators="statement_window_open")
    waive = statement_period.to.itself(internal=True, validators="statement_window_open")
    start_review = statement_period.to(committee_review, validators="statement_period_over")
    attach_submissions = committee_review.to.itself(internal=True)
    record_hearing = committee_review.to.itself(internal=True, validators="hearing_was_asked")
    decide = committee_review.to(decided, validators=["submissions_attached", "hearing_held_if_asked"])
    serve_decision = decided.to(dismissed, cond="decided_no_exit") | decided.to(reconsideration_window)
    apply_reconsideration = reconsideration_window.to(reconsideration, validators="reconsideration_window_open")
    decide_reconsideration = reconsideration.to.itself(
        internal=True, validators=["reconsideration_pending", "never_harsher"])
    apply_higher_review = reconsideration.to(
        review_by_higher_court, validators=["reconsideration_decided", "higher_review_window_open"])
    decide_higher_review = (review_by_higher_court.to(dismissed, cond="outcome_no_exit", validators="never_harsher")
                            | review_by_higher_court.to(effective, validators="never_harsher"))
    finalize = (reconsideration_window.to(dismissed, cond="standing_no_exit",
                                          validators="reconsideration_window_closed")
                | reconsideration_window.to(effective, validators="reconsideration_window_closed")
                | reconsideration.to(dismissed, cond="standing_no_exit", validators="reconsideration_decided")
                | reconsideration.to(effective, validators=["reconsideration_decided", "higher_review_window_closed"]))

    # --- windows -------------------------------------------------------------------------

    def statement_window_open(self, today=None, windows=None, **_):
        if self.model.waived_on is not None:
            raise Refusal("refused.machine.judge_waived_statement_period_on", waived_on=self.model.waived_on)
        if _after("statement", windows or {}, today):
            raise Refusal("refused.machine.statement_period_ended_on", windows=windows['statement'])

    def statement_period_over(self, today=None, windows=None, **_):
        if self.model.waived_on is None and not _after("statement", windows or {}, today):
            raise Refusal("refused.machine.committee_review_cannot_start_before_statement", value=(windows or {}).get('statement'))

    def reconsideration_window_open(self, today=None, windows=None, **_):
        if _after("reconsideration_application", windows or {}, today):
            raise Refusal("refused.machine.time_apply_reconsideration_ended_on", windows=windows['reconsideration_application'])

    def reconsideration_window_closed(self, today=None, windows=None, **_):
        if not _after("reconsideration_application", windows or {}, today):
            raise Refusal("refused.machine.judge_may_still_apply_reconsideration_until", value=(windows or {}).get('reconsideration_application'))

    def higher_review_window_open(self, today=None, windows=None, **_):
        if "higher_review_application" not in (windows or {}):
            raise Refusal("refused.machine.reconsideration_decided_no_exit_there_nothing")
        if _after("higher_review_application", windows or {}, today):
            raise Refusal("refused.machine.time_apply_review_higher_court_ended", windows=windows['higher_review_application'])

    def higher_review_window_closed(self, today=None, windows=None, **_):
        if not _after("higher_review_application", windows or {}, today):
            raise Refusal("refused.machine.judge_may_still_apply_review_higher", value=(windows or {}).get('higher_review_application'))

    # --- the committee's file ------------------------------------------------------------

    def submissions_attached(self, unattached: int = 0, **_):
        if unattached:
            raise Refusal("refused.machine.no_decision_without_judge_submissions_submission", unattached=unattached)

    def hearing_was_asked(self, **_):
        if not self.model.hearing_requested:
            raise Refusal("refused.machine.judge_did_not_ask_hearing")

    def hearing_held_if_asked(self, **_):
        if self.model.hearing_requested and self.model.hearing_held_on is None:
            raise Refusal("refused.machine.judge_asked_hearing_record_hearing_before")

    # --- outcomes ------------------------------------------------------------------------

    def reconsideration_pending(self, **_):
        if self.model.reconsideration_outcome:
            raise Refusal("refused.machine.reconsideration_has_already_been_decided")

    def reconsideration_decided(self, **_):
        if not self.model.reconsideration_outcome:
            raise Refusal("refused.machine.reconsideration_has_not_been_decided_yet")

    def never_harsher(self, data=None, **_):
        standing, months = self.model.standing_outcome, self.model.observation_months or 0
        outcome = getattr(data, "outcome", None)
        if not (outcome and standing):
            return
        longer = outcome == standing == "observation" and (getattr(data, "observation_months", 0) or 0) > months
        if SEVERITY[outcome] > SEVERITY[standing] or longer:
            length = f", {months} months" if standing == "observation" else ""
            raise Refusal("refused.machine.outcome_cannot_be_harsher_than_decision", standing=standing, length=length, outcome=outcome)

    def decided_no_exit(self, **_):
        return self.model.decision == "no_exit"

    def outcome_no_exit(self, data=None, **_):
        return getattr(data, "outcome", None) == "no_exit"

    def standing_no_exit(self, **_):
        return self.model.standing_outcome == "no_exit"


class ExitRequestMachine(StateMachine):
    """A natural exit (recorded → effective on approval) or an application (applied → approved when
    the checks find nothing, or with an override reason → effective; refused; withdrawn). A judge
    who left for a job need may ask to re-enter within the policy's years; the committee approves.

    Natural exits start in `recorded`, applications in `applied`: two entry states of one path."""
    validate_disconnected_states = False

    applied = State(initial=True)
    recorded = State()
    effective = State()
    refused = State(final=True)
    withdrawn = State(final=True)
    reentry_requested = State()
    reentered = State(final=True)

    approve = recorded.to(effective) | applied.to(effective, validators="checks_passed_or_override")
    refuse = applied.to(refused)
    withdraw = applied.to(withdrawn) | recorded.to(withdrawn)
    apply_reentry = effective.to(reentry_requested, validators="reentry_open")
    approve_reentry = reentry_requested.to(reentered)
    refuse_reentry = reentry_requested.to(effective)

    def checks_passed_or_override(self, data=None, **_):
        findings = self.model.checks.get("findings", [])
        if findings and not getattr(data, "override_reason", ""):
            raise Refusal("refused.machine.application_usually_refused_when", findings="; ".join(findings))

    def reentry_open(self, reentry_refusal: str | None = None, **_):
        """`reentry_refusal`: the policy's i18n.Message (a plain sentence is shown as it is)."""
        if reentry_refusal:
            raise Refusal(getattr(reentry_refusal, "key", reentry_refusal), **getattr(reentry_refusal, "params", {}))
