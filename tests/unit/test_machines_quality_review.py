"""案件质量评查 of one case (statemachines/review.py) on a plain row."""
from datetime import date

from statemachines.review import ReviewMachine
from tests.unit.machine_table import Refused, Step, Table, data, machine_tests

DUE = date(2025, 4, 10)
OPEN, CLOSED = date(2025, 4, 10), date(2025, 4, 11)
LEAD_JUDGE, DIVISION_JUDGE, REVIEWER, OTHER_REVIEWER = 1, 2, 5, 6
CONFLICTS = {"own_judges": frozenset({LEAD_JUDGE}), "division_members": frozenset({DIVISION_JUDGE}),
             "eligible": (REVIEWER, OTHER_REVIEWER)}
RECTIFY = {"rectify_grades": ("flawed", "error")}


def _grade(grade: str, findings=(), illegal_signs=False):
    return {"data": data(grade=grade, findings_list=lambda: list(findings), illegal_signs=illegal_signs)}


def _outcome(outcome: str, new_grade: str = ""):
    return {"data": data(outcome=outcome, new_grade=new_grade), **RECTIFY}


STEPS = [
    Step("selected", "assign", "assigned", facts={"data": data(reviewer_id=REVIEWER), **CONFLICTS}),
    Step("selected", "assign", "assigned", facts={"data": data(reviewer_id=None), **CONFLICTS}),
    Step("assigned", "assign", "assigned", model={"reviewer_id": OTHER_REVIEWER},
         facts={"data": data(reviewer_id=REVIEWER), **CONFLICTS}),
    Step("assigned", "start", "reviewing"),
    Step("reviewing", "grade", "graded", facts=_grade("pass")),
    Step("reviewing", "grade", "graded", facts=_grade("error", ["适用法律错误"], illegal_signs=True)),
    Step("graded", "file_objection", "objected", facts={"today": OPEN}),
    Step("graded", "accept", "closed", facts=RECTIFY),
    Step("graded", "accept", "rectifying", model={"grade": "flawed"}, facts=RECTIFY),
    Step("graded", "finalise", "closed", facts={"today": CLOSED, **RECTIFY}),
    Step("graded", "finalise", "rectifying", model={"grade": "error"}, facts={"today": CLOSED, **RECTIFY}),
    Step("objected", "decide_objection", "closed", model={"grade": "flawed"}, facts=_outcome("upheld", "pass")),
    Step("objected", "decide_objection", "rectifying", facts=_outcome("upheld", "error")),
    Step("objected", "decide_objection", "rectifying", model={"grade": "flawed"}, facts=_outcome("rejected")),
    Step("objected", "decide_objection", "closed", facts=_outcome("rejected")),
    Step("rectifying", "report_rectification", "rereview"),
    Step("rereview", "confirm_rectification", "closed"),
    Step("rereview", "reject_rectification", "rectifying"),
]

REFUSALS = [
    Refused("reviewer_allowed", "selected", "assign", "no eligible reviewer in this court",
            facts={"data": data(reviewer_id=None), **CONFLICTS, "eligible": ()}),
    Refused("reviewer_allowed", "selected", "assign", r"a judge cannot review their own case \(lead judge",
            facts={"data": data(reviewer_id=LEAD_JUDGE), **CONFLICTS}),
    Refused("reviewer_allowed", "selected", "assign", "may not be from the case's own division",
            facts={"data": data(reviewer_id=DIVISION_JUDGE), **CONFLICTS}),
    Refused("reviewer_allowed", "selected", "assign", r"named in an interference record on this case \(三个规定\)",
            facts={"data": data(reviewer_id=REVIEWER), **CONFLICTS, "named_in_records": frozenset({REVIEWER})}),
    Refused("reviewer_allowed", "selected", "assign", "is not an active reviewer .* of this court",
            facts={"data": data(reviewer_id=99), **CONFLICTS}),
    Refused("reviewer_allowed", "assigned", "assign", "this reviewer is already assigned",
            model={"reviewer_id": REVIEWER}, facts={"data": data(reviewer_id=REVIEWER), **CONFLICTS}),
    Refused("findings_for_flaws", "reviewing", "grade", "a grade below pass needs at least one finding",
            facts=_grade("flawed")),
    Refused("referral_only_for_error", "reviewing", "grade",
            "signs of illegal adjudication are referred to inspection only with the grade 'error'",
            facts=_grade("flawed", ["事实认定不清"], illegal_signs=True)),
    Refused("within_window", "graded", "file_objection", "the objection window closed on 2025-04-10",
            facts={"today": CLOSED}),
    *[Refused("window_over", "graded", "finalise", "the objection window is open until 2025-04-10",
              model={"grade": grade}, facts={"today": OPEN, **RECTIFY}) for grade in ("pass", "error")],
    Refused("new_grade_if_upheld", "objected", "decide_objection", "upholding an objection needs the new grade",
            facts=_outcome("upheld")),
    Refused("new_grade_if_upheld", "objected", "decide_objection",
            "a rejected objection keeps the grade: leave the new grade empty", facts=_outcome("rejected", "pass")),
]

TABLES = [Table(ReviewMachine, {"reviewer_id": None, "grade": "pass", "objection_due": DUE}, STEPS, REFUSALS)]


(test_an_allowed_event_leads_to_its_next_state,
 test_any_other_event_is_not_allowed_and_the_row_keeps_its_state,
 test_a_rule_refuses_with_the_reason_a_person_reads,
 test_every_validator_of_the_machine_has_its_refusal_here) = machine_tests(TABLES)
