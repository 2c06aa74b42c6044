"""One month of case quality review (SPEC §4): the selection, and a flawed case from feedback to closing."""
import math
from datetime import date

import pytest
from sqlalchemy import select

from services.kernel.errors import Refused
from services.kernel.sweeps import run_daily_monitor
from services.quality_review.facts import judge_review_results, reviewer_credits
from services.quality_review.sampling import verify_draw
from services.quality_review.special_reviews import AppealOutcomeIn, record_appeal_outcome
from store.models import ReviewDraw, Task
from tests.case_helpers import act, actor, at
from tests.petition_helpers import register
from tests.review_helpers import chased, closed_case, notices_to, review_of, review_world, reviews, sample


@pytest.fixture
def world(any_db):
    return review_world(any_db)


def february(db, world) -> dict:
    """和平 court closes 19 reviewable cases in February 2025 (judge_a 12, judge_b 5, judge_c 2); 沈河 3.
    Also: a case revised on appeal in February, a petition in February about an older case (and one
    in January, which is not February's)."""
    c = {}
    for i in range(1, 13):
        c[f"a{i}"] = closed_case(db, world, f"（2025）辽0102民初{i}号", "judge_a", f"2025-02-{i + 3:02d}",
                                 panel=("english_judge",))
    for i in range(1, 5):
        c[f"b{i}"] = closed_case(db, world, f"（2025）辽0102民初{20 + i}号", "judge_b", f"2025-02-{i + 10:02d}")
    c["long"] = closed_case(db, world, "（2023）辽0102民初900号", "judge_b", "2025-02-10", filed="2023-12-01")
    c["c1"] = closed_case(db, world, "（2025）辽0102民初30号", "judge_c", "2025-02-20")
    c["remanded"] = closed_case(db, world, "（2024）辽0102民初77号", "judge_c", "2025-02-21", remanded=True)
    c["transferred"] = closed_case(db, world, "（2025）辽0102民初40号", "judge_b", "2025-02-12", state="transferred")
    c["january"] = closed_case(db, world, "（2025）辽0102民初41号", "judge_a", "2025-01-28")
    c["revised"] = closed_case(db, world, "（2024）辽0102民初500号", "judge_a", "2024-12-20")
    c["petition"] = closed_case(db, world, "（2024）辽0102民初600号", "judge_c", "2024-11-05")
    register(db, world, "2025-02-18", case_number="（2024）辽0102民初600号", matter="judgment", summary="对判决不服")
    register(db, world, "2025-01-18", case_number="（2024）辽0102民初500号", matter="judgment", summary="上月信访")
    for i in range(1, 4):
        c[f"sh{i}"] = closed_case(db, world, f"（2025）辽0103民初{i}号", "judge_sh", f"2025-02-{i + 5:02d}",
                                  court="sh", division="sh_civil")
    record_appeal_outcome(db, actor(db, "office"), AppealOutcomeIn(
        case_id=c["revised"], outcome="revised", appeal_case_number="（2025）辽01民终88号",
        decided_on=date(2025, 2, 15)), at("2025-02-16"))
    return c


def test_one_month_of_quality_review(any_db, world):
    db, u = any_db, {k: v.id for k, v in world.users.items()}
    c = february(db, world)

    # --- the selection: focused categories, then each court's routine draw -------------------
    first = sample(db, "2025-03-01")
    assert first.month == "2025-02"
    assert first.focused == {"remanded": 1, "revised": 1, "petition": 1, "long_pending": 1}
    focused = {r.category: r.case_id for r in reviews(db, kind="focused")}
    assert focused == {"remanded": c["remanded"], "revised": c["revised"], "petition": c["petition"],
                       "long_pending": c["long"]}

    with db.read() as s:
        draws = {d.court_id: d for d in s.exec(select(ReviewDraw)).scalars()}
    hp, sh = draws[world.courts["hp"].id], draws[world.courts["sh"].id]
    expected_hp = {c[k] for k in c if k[0] in "abc" and k[1:].isdigit()} | {c["long"], c["remanded"]}
    assert {case for case, _ in hp.population} == expected_hp and len(expected_hp) == 19
    assert {case for case, _ in sh.population} == {c["sh1"], c["sh2"], c["sh3"]}
    # 10% of 19 is 2 cases, but three judges closed cases: one each
    assert len(hp.selected) == max(math.ceil(0.1 * 19), 3) == 3 and len(sh.selected) == 1
    judges_drawn = {judge for case, judge in hp.population if case in hp.selected}
    assert judges_drawn == {u["judge_a"], u["judge_b"], u["judge_c"]}
    routine = {r.case_id for r in reviews(db, kind="routine")}
    assert routine == (set(hp.selected) | set(sh.selected)) - set(focused.values())

    # --- the same on a re-run; sampling the month again adds nothing -------------------------
    with db.read() as s:
        assert verify_draw(s, hp.id) and verify_draw(s, sh.id)
    count = len(reviews(db))
    again = sample(db, "2025-03-15")
    assert (again.new_draws, again.routine, sum(again.focused.values())) == (0, 0, 0)
    assert len(reviews(db)) == count

    # --- a flawed case: reviewer assignment under the conflict rules -------------------------
    [case_a] = [case for case, judge in hp.population if case in hp.selected and judge == u["judge_a"]]
    review = review_of(db, case_a)
    with pytest.raises(Refused, match="cannot review their own case"):
        act(db, "office", "reviews", review.id, "assign", {"reviewer_id": u["english_judge"]}, "2025-03-03")
    with pytest.raises(Refused, match="own division"):
        act(db, "office", "reviews", review.id, "assign", {"reviewer_id": u["judge_b"]}, "2025-03-03")
    act(db, "office", "reviews", review.id, "assign", {"reviewer_id": u["crim_judge"]}, "2025-03-03")
    assert notices_to(db, "review_assigned") == [(u["crim_judge"], f"review:{review.id}:assigned:{u['crim_judge']}"
                                                                   f":u{u['crim_judge']}")]
    assert review_of(db, case_a).review_due == date(2025, 3, 23)

    # --- findings, grade and the feedback to the judge (一案一反馈) -----------------------------
    act(db, "crim_judge", "reviews", review.id, "start", {}, "2025-03-04")
    act(db, "crim_judge", "reviews", review.id, "grade",
        {"grade": "flaw", "findings": "送达回证缺少签收日期\n判决书说理不充分", "summary": "程序瑕疵"}, "2025-03-05")
    graded = review_of(db, case_a)
    assert (graded.state, graded.grade, graded.objection_due) == ("graded", "flaw", date(2025, 3, 12))
    assert graded.findings == ["送达回证缺少签收日期", "判决书说理不充分"]
    assert [r for r, _ in notices_to(db, "review_feedback")] == [u["judge_a"]]

    # --- objection, rejected by the review committee -----------------------------------------
    act(db, "judge_a", "reviews", review.id, "file_objection", {"reason": "送达回证另有签收记录"}, "2025-03-10")
    assert [r for r, _ in notices_to(db, "review_objection")] == [u["committee_a"]]
    with pytest.raises(Refused, match="judge or the reviewer"):
        act(db, "crim_judge", "reviews", review.id, "decide_objection",
            {"outcome": "rejected", "reason": "自己决定"}, "2025-03-11")
    act(db, "committee_a", "reviews", review.id, "decide_objection",
        {"outcome": "rejected", "reason": "签收记录与卷宗不符，异议不成立"}, "2025-03-20")
    decided = review_of(db, case_a)
    assert (decided.state, decided.final_grade, decided.rectification_due) == ("rectifying", "flaw",
                                                                              date(2025, 4, 19))
    assert sorted(r for r, _ in notices_to(db, "review_objection_decided")) == sorted([u["judge_a"], u["crim_judge"]])
    assert [r for r, _ in notices_to(db, "review_rectification")] == [u["judge_a"]]

    # --- the rectification due date is reminded once --------------------------------------------
    for _ in range(2):
        run_daily_monitor(db, date(2025, 4, 13), at("2025-04-13"))
    assert chased(db, "task_due_soon", "rectify_review") == [u["judge_a"]]

    # --- rectification, re-review (回头看), closing ----------------------------------------------
    act(db, "judge_a", "reviews", review.id, "report_rectification", {"report": "已补正送达回证，组织庭内学习"},
        "2025-04-14")
    assert [r for r, _ in notices_to(db, "review_rereview")] == [u["crim_judge"]]
    act(db, "crim_judge", "reviews", review.id, "confirm_rectification", {"note": "整改到位"}, "2025-04-20")
    closed = review_of(db, case_a)
    assert (closed.state, closed.closed_on) == ("closed", date(2025, 4, 20))
    assert [r for r, _ in notices_to(db, "review_closed")] == [u["judge_a"]]
    with db.read() as s:
        left = s.exec(select(Task).where(Task.subject_kind == "reviews", Task.subject_id == review.id,
                                         Task.state == "open")).all()
    assert left == []

    # --- into assessment (C1) -----------------------------------------------------------------
    with db.read() as s:
        results = judge_review_results(s, date(2025, 3, 1), date(2025, 3, 31))
        credits = reviewer_credits(s, date(2025, 3, 1), date(2025, 3, 31))
    assert results[u["judge_a"]].reviewed == 1 and results[u["judge_a"]].grades["flaw"] == 1
    assert results[u["judge_a"]].score == 80.0
    assert credits == {u["crim_judge"]: 1}
