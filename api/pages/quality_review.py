"""Quality review pages: the trial office's board, the reviewer's work, the judge's feedback (一案一反馈)."""
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.deps import DbDep, NowDep
import i18n
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.forms import fire_from_form, refusal_text
from policies.quality_review import GRADES
from services.kernel import engine as transitions
from services.kernel.clock import local_today
from services.kernel.errors import NotFound, Refused
from services.quality_review.queries import (assign_selected, board_counts, board_months, board_rows, feedback_record,
                                             grades_by_division, judge_rows, office_courts, review_section,
                                             reviewer_rows)
from api.params import IdPath, page_filter
from services.kernel.bounds import MONTH_PATTERN
from services.quality_review.special_reviews import SpecialCreate, create_special_review

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html



@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    total: int
    parts: list[tuple[str, int, float, float]]  # grade, count, x, width


CHART_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 420, 22, 230


def subject_link(row) -> str:
    return f"/s/reviews/{row.review.id}"


def feedback_link(row) -> str:
    return f"/reviews/{row.review.id}/feedback"


def chart_bars(rows: list[tuple[str, dict[str, int]]]) -> list[Bar]:
    """Stacked horizontal bars, one per division, scaled to the largest division (inline SVG, no scripts)."""
    top = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(rows):
        x, parts = float(LABEL_WIDTH), []
        for grade in GRADES:
            width = CHART_WIDTH * counts[grade] / top
            if counts[grade]:
                parts.append((grade, counts[grade], round(x, 1), round(width, 1)))
            x += width
        bars.append(Bar(label, i * (BAR_HEIGHT + 8), sum(counts.values()), parts))
    return bars


def _office_only(actor) -> None:
    if "trial_office" not in actor.roles:
        raise HTTPException(403, "the review board is the trial office's (审管办)")


def _board(request: Request, db, actor, status_code: int = 200, **extra):
    month = page_filter(request, "month", MONTH_PATTERN[1:-1])
    state, grade = page_filter(request, "state"), page_filter(request, "grade")
    with db.read() as session:
        months = board_months(session, actor)
        month = month or (months[0] if months else None)
        context = dict(rows=board_rows(session, actor, month, state, grade), counts=board_counts(session, actor, month),
                       bars=chart_bars(grades_by_division(session, actor, month)), months=months, month=month,
                       state=state, grade=grade, grades=GRADES, chart_width=CHART_WIDTH + LABEL_WIDTH + 60,
                       bar_height=BAR_HEIGHT, courts=office_courts(session, actor), board_link=subject_link)
    return render(request, "quality_review/reviews_board.html", actor, status_code=status_code, **context, **extra)


@router.get("/reviews")
def review_board(request: Request, db: DbDep):
    """The trial office's board: by month, state and grade, with the grade distribution by division."""
    actor = page_actor(request)
    _office_only(actor)
    return _board(request, db, actor)


@router.post("/reviews/assign")
async def review_board_assign(request: Request, db: DbDep, now: NowDep):
    """Draw a reviewer for each selected review of the month; refusals are listed on the board."""
    actor = page_actor(request)
    _office_only(actor)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    month = form.get("month", "")
    assigned, refused = assign_selected(db, actor, month, now)
    if refused:
        return _board(request, db, actor, status_code=409, error="；".join(refused[:10]), assigned=assigned)
    return redirect(f"/reviews?month={month}&done={i18n.gettext('assigned_n', lang_of(request))} {assigned}")


@router.post("/reviews/special")
async def review_board_special(request: Request, db: DbDep, now: NowDep):
    """Create a special review from the board's form; a refusal or bad input is shown on the board."""
    actor = page_actor(request)
    _office_only(actor)
    form = {k: v for k, v in (await request.form()).items() if v != ""}
    check_csrf(request, form.pop("csrf_token", None))
    title = form.pop("title", "")
    try:
        created = create_special_review(db, actor, SpecialCreate(title=title, filter=form), now)
    except ValidationError as exc:
        return _board(request, db, actor, status_code=422, error=refusal_text(exc, lang_of(request)))
    except (Refused, NotFound) as exc:
        return _board(request, db, actor, status_code=409, error=refusal_text(exc, lang_of(request)))
    return redirect(f"/reviews?done={created['title']} ({created['case_count']})")


@router.get("/reviews/mine")
def my_reviews(request: Request, db: DbDep):
    """The reviewer's work: open reviews and re-reviews by due date, then what they graded."""
    actor = page_actor(request)
    with db.read() as session:
        rows = reviewer_rows(session, actor)
    return render(request, "quality_review/reviews_mine.html", actor, rows=rows, subject_link=subject_link)


@router.get("/reviews/feedback")
def my_feedback(request: Request, db: DbDep):
    """The judge's feedback on their own cases."""
    actor = page_actor(request)
    with db.read() as session:
        rows = judge_rows(session, actor)
    return render(request, "quality_review/reviews_feedback_list.html", actor, rows=rows, feedback_link=feedback_link)


def _feedback(db, actor, review_id: int, now) -> dict:
    subject = transitions.view(db, actor, "reviews", review_id, now)
    if subject["state"] in ("selected", "assigned", "reviewing"):
        raise NotFound("not_found.api.review_has_no_feedback_yet", review_id=review_id)
    with db.read() as session:
        return {"subject": subject, **feedback_record(session, review_id)}


@router.get("/reviews/{review_id}/feedback")
def feedback_page(request: Request, review_id: IdPath, db: DbDep, now: NowDep):
    """一案一反馈: the findings and grade, the objection window and the objection form."""
    actor = page_actor(request)
    return render(request, "quality_review/review_feedback.html", actor, **_feedback(db, actor, review_id, now))


@router.post("/reviews/{review_id}/feedback")
async def feedback_act(request: Request, review_id: IdPath, db: DbDep, now: NowDep):
    """File an objection, accept the result, or report the rectification, from the feedback page."""
    actor = page_actor(request)
    fired = await fire_from_form(request, db, actor, now, "reviews", review_id)
    if fired.error:
        return render(request, "quality_review/review_feedback.html", actor, status_code=fired.status_code,
                      error=fired.error, **_feedback(db, actor, review_id, now))
    return redirect(f"/reviews/{review_id}/feedback?done=reviews.{fired.event}")


@router.get("/reviews/{review_id}/feedback/print")
def feedback_print(request: Request, review_id: IdPath, db: DbDep, now: NowDep):
    """The feedback as a printable document (HTML with print CSS)."""
    actor = page_actor(request)
    return render(request, "quality_review/review_feedback_print.html", actor, printed_on=local_today(now),
                  **_feedback(db, actor, review_id, now))


def plug(shell) -> None:
    """The shell's navigation, case-page sections and texts this lifecycle adds (called by the app factory)."""
    shell.add_nav_link("review_board", "/reviews", {"trial_office"}, group="quality")
    shell.add_nav_link("my_reviews", "/reviews/mine", {"judge", "trial_office"}, group="quality")
    shell.add_nav_link("review_feedback", "/reviews/feedback", {"judge"}, group="quality")
    shell.add_subject_section("reviews", "quality_review/_review_section.html",
                              lambda session, actor, review_id, today: review_section(session, review_id, today))
