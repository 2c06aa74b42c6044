"""Assessment records into the yearly dossier (一人一档、一年一卷), in one INSERT … SELECT per month."""
from datetime import datetime

from sqlalchemy import case as when, literal, select

from policies.periods import Period, periods_ending_with
from store.bulk import insert_select_ignoring_duplicates, json_object, text_of
from store.models import AssessmentRecord, DossierEntry

COLUMNS = ["user_id", "year", "on", "kind", "title", "ref_kind", "ref_id", "detail", "dedupe_key", "created_at"]
KIND = {"month": "monthly_record", "quarter": "evaluation", "half": "evaluation", "year": "grade"}
TITLE = {"month": "{label} 月度考核", "quarter": "{label} 季度评价", "half": "{label} 半年评价", "year": "{label} 年度考评"}


def file_records(session, month: Period, now: datetime) -> int:
    """Every record of the month and the periods ending with it, filed once per person and period."""
    R = AssessmentRecord
    total = 0
    for period in periods_ending_with(month):
        met = when((R.met.is_(True), literal("：完成任务")), else_=literal("：未完成任务"))
        title = literal(TITLE[period.kind].format(label=period.label)) + met
        detail = json_object(session, period=R.period, score=R.score, met=R.met, quantity=R.quantity, target=R.target,
                             closed=R.closed, missed_streak=R.missed_streak, grade=R.grade)
        key = literal(f"assessment:{period.kind}:{period.label}:") + text_of(R.user_id)
        stmt = select(R.user_id, literal(period.end.year), literal(period.end), literal(KIND[period.kind]), title,
                      literal("assessment_record"), R.id, detail, key, literal(now)).where(
            R.period_kind == period.kind, R.period == period.label)
        total += insert_select_ignoring_duplicates(session, DossierEntry, COLUMNS, stmt, ["dedupe_key"])
    return total
