"""Quality review pages: the trial office's board, the reviewer's work, the judge's feedback (一案一反馈)."""
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import select

from api.deps import DbDep, NowDep
from api.i18n import register_texts, translate
from api.pages.common import check_csrf, lang_of, page_actor, redirect, render
from api.pages.slots import add_nav_link
from api.params import IdPath, page_filter
from policies.quality_review import GRADES
from services import transitions
from services.bounds import MONTH_PATTERN
from services.calendar_today import local_today
from services.errors import Conflict, Invalid, NotFound, Refused
from services.review_board import (assign_selected, board_counts, board_months, board_rows, grades_by_division,
                                   judge_rows, reviewer_rows)
from services.special_reviews import SpecialCreate, create_special_review
from services.subjects import subject_kind
from store.models import Case, Court, Division, Review

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)  # documented as text/html

register_texts({
    "review_board": ("评查看板", "Review board"),
    "my_reviews": ("我的评查", "My reviews"),
    "review_feedback": ("评查反馈", "Review feedback"),
    "review_month": ("评查月份", "Month"),
    "review_kind": ("评查类型", "Kind"),
    "review_grade": ("评查等级", "Grade"),
    "reviewer": ("评查人", "Reviewer"),
    "review_due": ("评查期限", "Review due"),
    "grade_pass": ("合格", "Pass"),
    "grade_flaw": ("瑕疵", "Flaw"),
    "grade_major_flaw": ("重大瑕疵", "Major flaw"),
    "grade_error": ("差错", "Error"),
    "kind_routine": ("常规随机", "Routine"),
    "kind_focused": ("重点", "Focused"),
    "kind_special": ("专项", "Special"),
    "grades_by_division": ("各审判庭评查等级分布", "Grades by division"),
    "assign_month": ("为本月待分配案件随机抽取评查人", "Draw reviewers for this month's selected cases"),
    "assigned_n": ("已分配评查人", "Reviewers assigned"),
    "special_review": ("新建专项评查", "New special review"),
    "special_title": ("专项评查名称", "Title"),
    "closed_from": ("结案日期自", "Closed from"),
    "closed_to": ("结案日期至", "Closed to"),
    "court": ("法院", "Court"),
    "division": ("审判庭", "Division"),
    "closing_method": ("结案方式", "Closing method"),
    "findings": ("评查意见", "Findings"),
    "summary": ("总体评价", "Summary"),
    "objection_due": ("异议期限", "Object by"),
    "objection": ("异议", "Objection"),
    "objection_reason": ("异议理由", "Reason for the objection"),
    "file_objection": ("提出异议", "Object"),
    "accept_result": ("接受评查结果", "Accept the result"),
    "objection_decision": ("评查委员会决定", "Committee's decision"),
    "final_grade": ("最终等级", "Final grade"),
    "rectification_due": ("整改期限", "Rectify by"),
    "rectification_report": ("整改情况", "Rectification report"),
    "print_feedback": ("打印反馈意见书", "Print the feedback"),
    "feedback_document": ("案件质量评查反馈意见书", "Case quality review feedback"),
    "no_reviews": ("暂无评查", "No reviews"),
    "open_review": ("办理", "Open"),
    "reviewed_case": ("被评查案件", "Reviewed case"),
    "no_findings": ("未发现问题", "No findings"),
    "feedback_legal_note": ("评查结果不影响裁判文书的法律效力。", "A review result never changes a judgment's legal effect."),
})
add_nav_link("review_board", "/reviews", {"trial_office"})
add_nav_link("my_reviews", "/reviews/mine", {"judge", "trial_office"})
add_nav_link("review_feedback", "/reviews/feedback", {"judge"})


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
                       bar_height=BAR_HEIGHT, courts=_office_courts(session, actor), board_link=subject_link)
    return render(request, "reviews_board.html", actor, status_code=status_code, **context, **extra)


def _office_courts(session, actor) -> list[tuple[Court, list[Division]]]:
    """The courts the special-review form offers: where the actor holds the trial office role."""
    ids = [g.court_id for g in actor.grants if g.role == "trial_office"]
    courts = session.exec(select(Court).where(Court.id.in_(ids)).order_by(Court.id)).all()
    return [(c, list(session.exec(select(Division).where(Division.court_id == c.id)).all())) for c in courts]


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
    return redirect(f"/reviews?month={month}&done={translate('assigned_n', lang_of(request))} {assigned}")


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
        first = exc.errors()[0]
        return _board(request, db, actor, status_code=422, error=f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
    except (Refused, NotFound) as exc:
        return _board(request, db, actor, status_code=409, error=getattr(exc, "reason", str(exc)))
    return redirect(f"/reviews?done={created['title']} ({created['case_count']})")


@router.get("/reviews/mine")
def my_reviews(request: Request, db: DbDep):
    """The reviewer's work: open reviews and re-reviews by due date, then what they graded."""
    actor = page_actor(request)
    with db.read() as session:
        rows = reviewer_rows(session, actor)
    return render(request, "reviews_mine.html", actor, rows=rows, subject_link=subject_link)


@router.get("/reviews/feedback")
def my_feedback(request: Request, db: DbDep):
    """The judge's feedback on their own cases."""
    actor = page_actor(request)
    with db.read() as session:
        rows = judge_rows(session, actor)
    return render(request, "reviews_feedback_list.html", actor, rows=rows, feedback_link=feedback_link)


def _feedback(db, actor, review_id: int, now) -> dict:
    subject = transitions.view(db, actor, "reviews", review_id, now)
    if subject["state"] in ("selected", "assigned", "reviewing"):
        raise NotFound(f"review {review_id} has no feedback yet")
    with db.read() as session:
        review = session.get(Review, review_id)
        case = session.get(Case, review.case_id)
        court = session.get(Court, review.court_id)
    return {"subject": subject, "review": review, "case": case, "court": court}


@router.get("/reviews/{review_id}/feedback")
def feedback_page(request: Request, review_id: IdPath, db: DbDep, now: NowDep):
    """一案一反馈: the findings and grade, the objection window and the objection form."""
    actor = page_actor(request)
    return render(request, "review_feedback.html", actor, **_feedback(db, actor, review_id, now))


@router.post("/reviews/{review_id}/feedback")
async def feedback_act(request: Request, review_id: IdPath, db: DbDep, now: NowDep):
    """File an objection, accept the result, or report the rectification, from the feedback page."""
    actor = page_actor(request)
    form = dict(await request.form())
    check_csrf(request, form.get("csrf_token"))
    event = form.get("event", "")
    spec = subject_kind("reviews").events.get(event)
    fields = spec.payload.model_json_schema().get("properties", {}) if spec else {}
    payload = {k: form[k] for k in fields if form.get(k)}
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    try:
        transitions.fire(db, actor, "reviews", review_id, event, payload, now, version)
    except (Refused, Conflict, Invalid) as exc:
        error = translate("conflict", lang_of(request)) if isinstance(exc, Conflict) else (
            getattr(exc, "reason", None) or str(exc))
        return render(request, "review_feedback.html", actor, status_code=422 if isinstance(exc, Invalid) else 409,
                      error=error, **_feedback(db, actor, review_id, now))
    return redirect(f"/reviews/{review_id}/feedback?done={event}")


@router.get("/reviews/{review_id}/feedback/print")
def feedback_print(request: Request, review_id: IdPath, db: DbDep, now: NowDep):
    """The feedback as a printable document (HTML with print CSS)."""
    actor = page_actor(request)
    return render(request, "review_feedback_print.html", actor, printed_on=local_today(now),
                  **_feedback(db, actor, review_id, now))
