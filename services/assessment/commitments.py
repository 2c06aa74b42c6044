"""法官承诺制 (SPEC §5): a judge forecasts the week's closures; after the week the shortfall is recorded.

The check is one UPDATE … SET closed = (correlated count) for the week's commitments, then the
shortfalls go to the judge's dossier and a notice, each keyed by (judge, week).
"""
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select, update

from services.kernel.clock import local_date
from services.kernel.actor import Actor
from services.kernel.errors import Invalid, Refused
from services.kernel.record import record, record_refusal
from store.bulk import insert_ignoring_duplicates
from store.jsonable import jsonable
from store.models import Case, DossierEntry, Notice, User, WeeklyCommitment


def week_of(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def commit(db, actor: Actor, week_start: date, promised: int, now: datetime) -> dict:
    """A quota judge's forecast for this week or the next; one per week, not changed afterwards."""
    if week_start.weekday() != 0:
        raise Invalid("week_start", "invalid.assessment.not_monday", week_start=week_start)
    if not 0 <= promised <= 500:
        raise Invalid("promised", "invalid.assessment.number_closures_between_0_500")
    try:
        return _commit(db, actor, week_start, promised, now)
    except Refused as refusal:
        record_refusal(db, actor, "commitment.make", refusal.reason, at=now, subject_kind="weekly_commitment")
        raise


def _commit(db, actor: Actor, week_start: date, promised: int, now: datetime) -> dict:
    if week_start < week_of(local_date(now)):
        raise Refused("refused.assessment.week_over_commit_week_later_one", week_start=week_start)
    with db.write() as session:
        user = session.get(User, actor.user_id) if actor.user_id else None
        if user is None or not user.is_quota_judge:
            raise Refused("refused.assessment.only_quota_judges_make_weekly_commitments")
        row = dict(user_id=user.id, court_id=user.court_id, division_id=user.division_id, week_start=week_start,
                   promised=promised, closed=None, shortfall=None, checked_on=None, created_at=now)
        if not insert_ignoring_duplicates(session, WeeklyCommitment, [row], ["user_id", "week_start"]):
            raise Refused("refused.assessment.you_have_already_committed_week", week_start=week_start)
        record(session, actor, "commitment.made", at=now, subject_kind="weekly_commitment", court_id=user.court_id,
               after={"week_start": week_start.isoformat(), "promised": promised})
    return {"week_start": week_start.isoformat(), "promised": promised}


def check_week(session, week_start: date, now: datetime) -> int:
    """Count each commitment's closures in the week; record the shortfalls. Returns shortfalls found."""
    end = week_start + timedelta(days=6)
    closed = (select(func.count()).select_from(Case)
              .where(Case.lead_judge_id == WeeklyCommitment.user_id, Case.closed_on.between(week_start, end))
              .scalar_subquery())
    session.execute(update(WeeklyCommitment).where(WeeklyCommitment.week_start == week_start,
                                                   WeeklyCommitment.checked_on.is_(None))
                    .values(closed=closed, checked_on=end).execution_options(synchronize_session=False))
    session.execute(update(WeeklyCommitment).where(WeeklyCommitment.week_start == week_start)
                    .values(shortfall=func.max(0, WeeklyCommitment.promised - WeeklyCommitment.closed)
                            if session.get_bind().dialect.name == "sqlite"
                            else func.greatest(0, WeeklyCommitment.promised - WeeklyCommitment.closed))
                    .execution_options(synchronize_session=False))
    short = session.execute(select(WeeklyCommitment).where(
        and_(WeeklyCommitment.week_start == week_start, WeeklyCommitment.shortfall > 0))).scalars().all()
    _record_shortfalls(session, short, now)
    return len(short)


def _record_shortfalls(session, rows, now: datetime) -> None:
    entries, notices = [], []
    for c in rows:
        facts = {"week_start": c.week_start, "promised": c.promised, "closed": c.closed, "shortfall": c.shortfall}
        entries.append(dict(user_id=c.user_id, year=c.week_start.year, on=c.checked_on, kind="commitment_shortfall",
                            title=f"承诺结案未兑现（{c.week_start} 当周，差 {c.shortfall} 件）", ref_kind="weekly_commitment",
                            ref_id=c.id, detail=jsonable(facts), dedupe_key=f"commitment:{c.user_id}:{c.week_start}",
                            created_at=now))
        notices.append(dict(dedupe_key=f"commitment:{c.user_id}:{c.week_start}:u{c.user_id}", kind="commitment_shortfall",
                            recipient_user_id=c.user_id, court_id=c.court_id, subject_kind="weekly_commitment",
                            subject_id=c.id, context=jsonable(facts), state="pending", attempts=0, next_attempt_at=now,
                            created_at=now, last_error=""))
    insert_ignoring_duplicates(session, DossierEntry, entries, ["dedupe_key"])
    insert_ignoring_duplicates(session, Notice, notices, ["dedupe_key"])
