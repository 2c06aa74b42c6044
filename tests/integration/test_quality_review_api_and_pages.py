"""Quality review over HTTP: the board API and page (chart), special reviews, appeal outcomes, stored draws,
the judge's feedback page and its printable document."""
import pytest
from sqlmodel import select

from store.models import AppealOutcome, Review, SpecialReview, TraceEntry
from tests.case_helpers import act
from tests.integration.conftest import login
from tests.integration.test_pages import csrf_of, page_login
from tests.review_helpers import closed_case, review_world, reviews, sample


@pytest.fixture
def world(any_db):
    world = review_world(any_db)
    for i in range(1, 4):
        closed_case(any_db, world, f"（2025）辽0102民初{i}号", "judge_a", f"2025-02-0{i + 2}")
    closed_case(any_db, world, "（2025）辽0102民初9号", "judge_b", "2025-01-20")
    sample(any_db)
    return world


def graded_review(db, world, grade="flaw") -> int:
    review_id = reviews(db)[0].id
    act(db, "office", "reviews", review_id, "assign", {"reviewer_id": world.users["crim_judge"].id}, "2025-03-01")
    act(db, "crim_judge", "reviews", review_id, "start", {}, "2025-03-01")
    act(db, "crim_judge", "reviews", review_id, "grade", {"grade": grade, "findings": "庭审笔录未签名"}, "2025-03-02")
    return review_id


def test_the_board_api_lists_the_offices_reviews_with_counts(client, world):
    r = client.get("/api/v1/reviews?month=2025-02", headers=login(client, "office"))
    assert r.status_code == 200
    body = r.json()
    [item] = body["items"]  # 10% of judge_a's 3 February cases is one case; January's is not in the month
    assert item["case_number"] in {f"（2025）辽0102民初{i}号" for i in (1, 2, 3)} and item["kind"] == "routine"
    assert body["counts"]["states"] == {"selected": 1}
    assert client.get("/api/v1/reviews", headers=login(client, "judge_a")).json()["items"] == []


def test_the_stored_draw_is_shown_and_verified(client, any_db, world):
    draw_id = reviews(any_db)[0].draw_id
    r = client.get(f"/api/v1/review-draws/{draw_id}", headers=login(client, "office"))
    assert r.status_code == 200 and r.json()["verified"] is True and r.json()["population"] == 3
    assert client.get(f"/api/v1/review-draws/{draw_id}", headers=login(client, "judge_sh")).status_code == 404


def test_the_office_draws_reviewers_for_the_month(client, any_db, world):
    r = client.post("/api/v1/reviews/assign", json={"month": "2025-02"}, headers=login(client, "office"))
    assert r.status_code == 200 and r.json() == {"assigned": 1, "refused": []}
    assert reviews(any_db)[0].reviewer_id in {world.users["crim_judge"].id, world.users["office"].id}


def test_a_special_review_selects_every_case_the_filter_matches(client, any_db, world):
    body = {"title": "民间借贷专项评查", "filter": {"court_id": world.courts["hp"].id, "closed_from": "2025-01-01",
                                               "closed_to": "2025-02-28", "cause": "借贷"}}
    r = client.post("/api/v1/reviews/special", json=body, headers=login(client, "office"))
    assert r.status_code == 201 and r.json()["case_count"] == 4
    assert len(reviews(any_db, kind="special")) == 4
    again = client.post("/api/v1/reviews/special", json=body, headers=login(client, "office"))
    assert again.json()["case_count"] == 4  # a second special review is its own batch


def test_a_special_review_is_refused_for_a_judge_and_when_nothing_matches(client, any_db, world):
    body = {"title": "专项", "filter": {"court_id": world.courts["hp"].id, "closed_from": "2024-01-01",
                                      "closed_to": "2024-01-31"}}
    assert client.post("/api/v1/reviews/special", json=body, headers=login(client, "office")).status_code == 409
    assert client.post("/api/v1/reviews/special", json=body, headers=login(client, "judge_a")).status_code == 404
    bad = dict(body, filter=dict(body["filter"], closed_to="2023-01-01"))
    assert client.post("/api/v1/reviews/special", json=bad, headers=login(client, "office")).status_code == 422
    with any_db.read() as s:
        assert s.exec(select(SpecialReview)).all() == []
        assert s.exec(select(TraceEntry).where(TraceEntry.action == "refused:reviews.special_create")).all()


def test_an_appeal_outcome_is_recorded_once_and_feeds_the_next_selection(client, any_db, world):
    case_id = reviews(any_db)[0].case_id
    body = {"case_id": case_id, "outcome": "revised", "appeal_case_number": "（2025）辽01民终5号",
            "decided_on": "2025-03-02"}
    assert client.post("/api/v1/appeal-outcomes", json=body, headers=login(client, "office")).status_code == 201
    assert client.post("/api/v1/appeal-outcomes", json=body, headers=login(client, "office")).status_code == 409
    assert client.post("/api/v1/appeal-outcomes", json=body, headers=login(client, "judge_a")).status_code == 409
    with any_db.read() as s:
        assert len(s.exec(select(AppealOutcome)).all()) == 1
    assert sample(any_db, "2025-04-01").focused["revised"] == 1


def test_the_board_page_shows_the_grade_chart_by_division(client, any_db, world):
    graded_review(any_db, world, "major_flaw")
    page_login(client, "office")
    html = client.get("/reviews?month=2025-02").text
    assert '<svg id="grade-chart"' in html and 'data-grade="major_flaw" data-count="1"' in html
    assert "sh_civil" not in html and "hp_civil" in html
    page_login(client, "judge_a")
    assert client.get("/reviews").status_code == 403


def test_the_judge_objects_from_the_feedback_page(client, any_db, world):
    review_id = graded_review(any_db, world)
    page_login(client, "judge_a")
    page = client.get(f"/reviews/{review_id}/feedback")
    assert page.status_code == 200 and "庭审笔录未签名" in page.text and 'id="objection-form"' in page.text
    r = client.post(f"/reviews/{review_id}/feedback", data={"csrf_token": csrf_of(page.text), "event": "file_objection",
                                                           "reason": "笔录已补签"})
    assert r.status_code == 303
    assert reviews(any_db)[0].state == "objected"
    printed = client.get(f"/reviews/{review_id}/feedback/print")
    assert printed.status_code == 200 and "案件质量评查反馈意见书" in printed.text
    assert 'class="print-document"' in printed.text and "庭审笔录未签名" in printed.text
    with any_db.read() as s:
        assert s.get(Review, review_id).objection == "笔录已补签"


def test_another_judge_cannot_see_the_feedback(client, any_db, world):
    review_id = graded_review(any_db, world)
    page_login(client, "judge_sh")
    assert client.get(f"/reviews/{review_id}/feedback").status_code == 404
