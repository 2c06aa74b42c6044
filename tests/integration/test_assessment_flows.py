"""The assessment flows as real Prefect flow runs: monthly assessment, weekly notice with the judges'
commitments, quarterly report; each safe to run twice."""
from datetime import date

import pytest
from sqlmodel import select

from flows.assessment import monthly_assessment, quarterly_report_flow, weekly_notice_flow
from services.assessment.commitments import commit
from services.kernel.dossier import dossier_entries
from services.kernel.errors import Invalid, Refused
from store.models import AssessmentRecord, Notice, Report, TraceEntry, WeeklyCommitment
from tests.assessment_helpers import add_cases, moment
from tests.case_helpers import actor
from tests.factories import small_world


def test_the_monthly_flow_assesses_every_quota_judge_once(prefect_server, db):
    world = small_world(db)
    with db.write() as s:
        add_cases(s, world, "judge_a", 3, "2025-01-06")
    first = monthly_assessment(as_of=date(2025, 2, 1), database_url=db.url)
    second = monthly_assessment(as_of=date(2025, 2, 1), database_url=db.url)
    assert first["months"]["2025-01"]["month"] == 6 and second["months"] == {}
    with db.read() as s:
        rows = s.exec(select(AssessmentRecord).where(AssessmentRecord.period == "2025-01")).all()
    judge_a = next(r for r in rows if r.user_id == world.users["judge_a"].id)
    assert (judge_a.met, judge_a.target, judge_a.quantity) == (False, 0.225, 0.0)  # 0.9 × 1/12 × 3 cases


def test_a_weekly_commitment_not_kept_is_recorded_and_the_weekly_notice_goes_to_the_trial_office(prefect_server, db):
    world = small_world(db)
    judge = actor(db, "judge_a")
    commit(db, judge, date(2025, 3, 3), 3, moment(date(2025, 3, 3)))
    with db.write() as s:
        add_cases(s, world, "judge_a", 1, "2025-01-06", closed="2025-03-05")
    result = weekly_notice_flow(as_of=date(2025, 3, 10), database_url=db.url)
    again = weekly_notice_flow(as_of=date(2025, 3, 10), database_url=db.url)
    assert (result["shortfalls"], result["reports"] > 0, again["reports"]) == (1, True, 0)
    with db.read() as s:
        row = s.exec(select(WeeklyCommitment)).one()
        dossier = dossier_entries(s, judge.user_id, 2025)
        hp_notice = s.exec(select(Report).where(Report.kind == "weekly_notice",
                                                Report.court_id == world.courts["hp"].id)).one()
        to_office = s.exec(select(Notice).where(Notice.kind == "report_published",
                                                Notice.recipient_user_id == world.users["office"].id)).all()
        short_notices = s.exec(select(Notice).where(Notice.kind == "commitment_shortfall")).all()
    assert (row.closed, row.shortfall) == (1, 2)
    assert [e.kind for e in dossier] == ["commitment_shortfall"]
    assert "承诺结案兑现情况" in hp_notice.html and "judge_a" in hp_notice.html and hp_notice.period == "2025-W10"
    assert len(to_office) == 1 and len(short_notices) == 1


def test_a_commitment_is_refused_for_a_past_week_or_twice_and_the_refusal_is_traced(db):
    small_world(db)
    judge = actor(db, "judge_a")
    commit(db, judge, date(2025, 3, 10), 2, moment(date(2025, 3, 5)))
    with pytest.raises(Refused):
        commit(db, judge, date(2025, 3, 10), 5, moment(date(2025, 3, 6)))
    with pytest.raises(Refused):
        commit(db, judge, date(2025, 2, 24), 5, moment(date(2025, 3, 6)))
    with pytest.raises(Invalid):
        commit(db, judge, date(2025, 3, 11), 5, moment(date(2025, 3, 6)))
    with pytest.raises(Refused):
        commit(db, actor(db, "office"), date(2025, 3, 10), 1, moment(date(2025, 3, 6)))
    with db.read() as s:
        rows = s.exec(select(WeeklyCommitment)).all()
        refusals = s.exec(select(TraceEntry).where(TraceEntry.action == "refused:commitment.make")).all()
    assert [(r.week_start, r.promised) for r in rows] == [(date(2025, 3, 10), 2)] and len(refusals) == 3


def test_the_quarterly_report_shows_each_courts_indicators(prefect_server, db):
    world = small_world(db)
    with db.write() as s:
        add_cases(s, world, "judge_a", 2, "2025-01-06", closed="2025-02-20")
    result = quarterly_report_flow(as_of=date(2025, 4, 1), database_url=db.url)
    assert result["quarter"] == "2025-Q1"
    with db.read() as s:
        doc = s.exec(select(Report).where(Report.kind == "quarterly_report",
                                          Report.court_id == world.courts["hp"].id)).one()
    assert "结案率" in doc.html and "hp_civil" in doc.html and "@media print" in doc.html
    assert doc.data["units"][0]["indicators"]["closure_rate"]["value"] == 1.0
