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
                raise Refusal("no eligible reviewer in this court: every candidate is the case's own judge "
                              "or from its division")
            return
        if wanted in own_judges:
            raise Refusal("a judge cannot review their own case (lead judge or panel member)")
        if wanted in named_in_records:
            raise Refusal("the proposed reviewer is named in an interference record on this case (三个规定)")
        if wanted in division_members:
            raise Refusal("a reviewer may not be from the case's own division (court policy)")
        if wanted not in eligible:
            raise Refusal("the proposed reviewer is not an active reviewer (judge or trial office) of this court")
        if wanted == self.model.reviewer_id:
            raise Refusal("this reviewer is already assigned")

    def findings_for_flaws(self, data=None, **_):
        if data is not None and data.grade != "pass" and not data.findings_list():
            raise Refusal("a grade below pass needs at least one finding")

    def referral_only_for_error(self, data=None, **_):
        if data is not None and data.illegal_signs and data.grade != "error":
            raise Refusal("signs of illegal adjudication are referred to inspection only with the grade 'error'")

    def within_window(self, today=None, **_):
        due = self.model.objection_due
        if due and today and today > due:
            raise Refusal(f"the objection window closed on {due}")

    def window_over(self, today=None, **_):
        due = self.model.objection_due
        if due and today and today <= due:
            raise Refusal(f"the objection window is open until {due}")

    def new_grade_if_upheld(self, data=None, **_):
        if data is not None and data.outcome == "upheld" and not data.new_grade:
            raise Refusal("upholding an objection needs the new grade")
        if data is not None and data.outcome == "rejected" and data.new_grade:
            raise Refusal("a rejected objection keeps the grade: leave the new grade empty")

    def needs_rectification(self, data=None, rectify_grades=(), **_):
        grade = self.model.grade
        if data is not None and getattr(data, "outcome", "") == "upheld":
            grade = data.new_grade
        return grade in rectify_grades
