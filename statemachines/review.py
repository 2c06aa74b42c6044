"""案件质量评查 (SPEC §4): one case's quality review.

selected → assigned → reviewing → graded (findings, grade, feedback to the judge: 一案一反馈)
→ objected (within the objection window) → decided by the review committee →
rectifying (整改, for the grades the policy names) → rereview (回头看) → closed.
Without an objection the judge accepts, or the window lapses (finalise); a pass closes.
Reviewers may be neither the case's own judges nor, by default, from its division.
A finding of signs of illegal adjudication goes only with the grade `error`.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class ReviewMachine(StateMachine):
    selected = State(initial=True)
    assigned = State()
    reviewing = State()
    graded = State()
    objected = State()
    rectifying = State()
    rereview = State()
    closed = State(final=True)

    assign = (selected.to(assigned, validators="reviewer_allowed")
              | assigned.to.itself(internal=True, validators="reviewer_allowed"))
    start = assigned.to(reviewing)
    grade = reviewing.to(graded, validators=["findings_for_flaws", "referral_only_for_error"])
    file_objection = graded.to(objected, validators="within_window")
    accept = graded.to(rectifying, cond="needs_rectification") | graded.to(closed)
    finalise = graded.to(rectifying, cond="needs_rectification", validators="window_over") | graded.to(
        closed, validators="window_over")
    decide_objection = (objected.to(rectifying, cond="needs_rectification", validators="new_grade_if_upheld")
                        | objected.to(closed, validators="new_grade_if_upheld"))
    report_rectification = rectifying.to(rereview)
    confirm_rectification = rereview.to(closed)
    reject_rectification = rereview.to(rectifying)

    def reviewer_allowed(self, data=None, own_judges=frozenset(), division_members=frozenset(),
                         named_in_records=frozenset(), eligible=(), **_):
        """A named reviewer must pass the conflict rules; a random draw needs someone to draw."""
        wanted = getattr(data, "reviewer_id", None)
        if wanted is None:
            if not eligible:
                raise Refusal("refused.machine.no_eligible_reviewer_court_every_candidate")
            return
        if wanted in own_judges:
            raise Refusal("refused.machine.judge_cannot_review_their_own_case")
        if wanted in named_in_records:
            raise Refusal("refused.machine.reviewer_named_in_interference_record")
        if wanted in division_members:
            raise Refusal("refused.machine.reviewer_may_not_be_from_case")
        if wanted not in eligible:
            raise Refusal("refused.machine.proposed_reviewer_not_active_reviewer_court")
        if wanted == self.model.reviewer_id:
            raise Refusal("refused.machine.reviewer_already_assigned")

    def findings_for_flaws(self, data=None, **_):
        if data is not None and data.grade != "pass" and not data.findings_list():
            raise Refusal("refused.machine.grade_below_pass_needs_at_least")

    def referral_only_for_error(self, data=None, **_):
        if data is not None and data.illegal_signs and data.grade != "error":
            raise Refusal("refused.machine.signs_illegal_adjudication_are_referred_inspection")

    def within_window(self, today=None, **_):
        due = self.model.objection_due
        if due and today and today > due:
            raise Refusal("refused.machine.objection_window_closed_on", due=due)

    def window_over(self, today=None, **_):
        due = self.model.objection_due
        if due and today and today <= due:
            raise Refusal("refused.machine.objection_window_open_until", due=due)

    def new_grade_if_upheld(self, data=None, **_):
        if data is not None and data.outcome == "upheld" and not data.new_grade:
            raise Refusal("refused.machine.upholding_objection_needs_new_grade")
        if data is not None and data.outcome == "rejected" and data.new_grade:
            raise Refusal("refused.machine.rejected_objection_keeps_grade_leave_new")

    def needs_rectification(self, data=None, rectify_grades=(), **_):
        grade = self.model.grade
        if data is not None and getattr(data, "outcome", "") == "upheld":
            grade = data.new_grade
        return grade in rectify_grades
