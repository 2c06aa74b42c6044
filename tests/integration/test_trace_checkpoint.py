"""The daily monitor signs the trace's head and sends it to the top court's trial office."""
from datetime import date

import pytest
from sqlmodel import func, select

from notifications.render import render
from policies.registry import build
from services.kernel.sweeps import run_daily_monitor
from store.models import Notice, TraceCheckpoint, TraceEntry
from store.trace import verify
from tests import append_only
from tests.case_helpers import at
from tests.factories import add_user, small_world

POLICY = build("monitoring")


@pytest.fixture
def world(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "high_office", "high", ["trial_office"], subtree=True)
    return world


def monitor(db, day: str):
    return run_daily_monitor(db, date.fromisoformat(day), at(day), policy=POLICY)


def checkpoint_notices(db):
    with db.read() as s:
        return list(s.exec(select(Notice).where(Notice.kind == "trace_checkpoint").order_by(Notice.id)).all())


def test_the_daily_monitor_signs_the_head_once_a_day_and_tells_the_top_courts_trial_office(any_db, world):
    assert monitor(any_db, "2025-06-01").extra["trace_checkpoint"] == 1
    assert monitor(any_db, "2025-06-01").extra["trace_checkpoint"] == 0  # the same day again: nothing new
    with any_db.read() as s:
        mark = s.exec(select(TraceCheckpoint)).one()
        head = s.exec(select(TraceEntry).where(TraceEntry.action == "flow.daily_monitor")).first()
    assert (mark.day, mark.seq, mark.entry_count, mark.head_hash) == (date(2025, 6, 1), head.seq, head.seq, head.hash)
    [notice] = checkpoint_notices(any_db)
    assert notice.recipient_user_id == world.users["high_office"].id and notice.court_id == world.courts["high"].id
    title, body = render(notice.kind, notice.context, "zh")
    assert title == "全程留痕日校验点：2025年6月1日" and head.hash in body and f"共 {head.seq} 条记录" in body

    assert monitor(any_db, "2025-06-02").extra["trace_checkpoint"] == 1
    with any_db.read() as s:
        verdict = verify(s)
        assert s.exec(select(func.count()).select_from(TraceCheckpoint)).one() == 2
    assert verdict.ok and verdict.checkpoints == 2 and len(checkpoint_notices(any_db)) == 2


def test_a_trace_cut_short_is_not_signed_and_the_trial_office_is_told(any_db, world):
    monitor(any_db, "2025-06-01")
    with any_db.read() as s:
        head = s.exec(select(func.max(TraceEntry.seq))).one()
    with any_db.writer.begin() as conn:
        append_only.switch_off(conn)
        conn.exec_driver_sql(f"DELETE FROM traceentry WHERE seq = {head}")
        append_only.switch_on(conn)
    assert monitor(any_db, "2025-06-02").extra["trace_checkpoint"] == 0
    with any_db.read() as s:
        assert [m.day for m in s.exec(select(TraceCheckpoint)).all()] == [date(2025, 6, 1)]
    warning = checkpoint_notices(any_db)[-1]
    title, body = render(warning.kind, warning.context, "zh")
    assert title == "全程留痕校验未通过：2025年6月2日" and f"自第 {head} 条记录起链条断裂" in body
