"""Flow health (issue 13.4) and dead letters (issue 14.2): what the trial office and administrators see of the
scheduled runs, the notices that could not be delivered, the alert they get, and the retry they may make."""
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from prefect._vendor.croniter import croniter
from sqlalchemy import update
from sqlmodel import select

from cli import status as status_cli
from flows.daily_monitor import daily_monitor
from flows.registry import deployments
from flows.run_log import recorded
from notifications.delivery import deliver_due
from services import dead_letters
from services.flow_health import flow_health, next_fire
from store.models import Channel, FlowRun, Notice, TraceEntry
from store.outbox import enqueue
from tests.factories import add_user, small_world
from tests.integration.conftest import login
from tests.integration.sinks import HttpSink
from tests.integration.test_pages import csrf_of, page_login

SHANGHAI = ZoneInfo("Asia/Shanghai")
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
WARNING = dict(case_number="(2025)辽0102民初7号", deadline="2025-03-10", days_left=7)


def add_run(db, name, started_at, state="completed", took=timedelta(seconds=2), summary=None):
    with db.write() as s:
        s.add(FlowRun(name=name, as_of=started_at.date().isoformat(), started_at=started_at,
                      finished_at=started_at + took if state != "running" else None, state=state,
                      summary=summary or {}))


def health(db, now) -> dict:
    with db.read() as s:
        return {h.name: h for h in flow_health(s, list(deployments().values()), now)}


# --- flow health, computed with a passed `now` --------------------------------------------------

def test_a_flow_is_late_when_no_run_completed_within_twice_its_interval(any_db, now):
    add_run(any_db, "deliver-notices", now - MINUTE)

    assert not health(any_db, now)["deliver-notices"].late
    assert not health(any_db, now + MINUTE)["deliver-notices"].late
    assert health(any_db, now + 2 * MINUTE)["deliver-notices"].late


def test_a_failed_last_run_is_flagged_and_lateness_counts_from_the_last_completed_run(any_db, now):
    add_run(any_db, "daily-monitor", now - 25 * HOUR, summary={"warnings": 3})
    add_run(any_db, "daily-monitor", now - HOUR, state="failed", summary={"error": "OperationalError: gone"})

    daily = health(any_db, now)["daily-monitor"]
    assert (daily.failed, daily.late, daily.last_state) == (True, False, "failed")
    assert daily.last_completed_at == now - 25 * HOUR + timedelta(seconds=2)
    assert daily.duration == timedelta(seconds=2)
    assert health(any_db, now + 24 * HOUR)["daily-monitor"].late


def test_a_busy_run_does_not_count_as_completed(any_db, now):
    add_run(any_db, "deliver-notices", now - 5 * MINUTE)
    add_run(any_db, "deliver-notices", now - MINUTE, state="busy", summary={"busy": 1})

    flow = health(any_db, now)["deliver-notices"]
    assert (flow.last_state, flow.late, flow.failed) == ("busy", True, False)


def test_flows_that_never_ran_are_late_only_once_the_install_has_run_for_their_interval(any_db, now):
    assert all(h.late for h in health(any_db, now).values())  # nothing ever ran: the scheduler is not working

    add_run(any_db, "deliver-notices", now - DAY)
    flows = health(any_db, now)
    assert not flows["monthly-assessment"].late and not flows["quarterly-report"].late
    assert flows["daily-monitor"].late is False and flows["deliver-notices"].late is True
    assert health(any_db, now + DAY + MINUTE)["daily-monitor"].late


def test_the_next_run_comes_from_the_cron_in_asia_shanghai(any_db, now):
    flows = health(any_db, now)  # now: 2025-03-03 10:00 in Shanghai, a Monday

    local = {name: h.next_run.astimezone(SHANGHAI).replace(tzinfo=None) for name, h in flows.items()}
    assert local["deliver-notices"] == datetime(2025, 3, 3, 10, 1)
    assert local["daily-monitor"] == datetime(2025, 3, 4, 0, 30)
    assert local["weekly-notice"] == datetime(2025, 3, 10, 3, 0)
    assert local["monthly-assessment"] == datetime(2025, 4, 1, 2, 0)
    assert local["quarterly-report"] == datetime(2025, 4, 1, 4, 0)
    assert flows["deliver-notices"].interval == MINUTE and flows["daily-monitor"].interval == DAY


@pytest.mark.parametrize("cron", [d.cron for d in deployments().values()] + ["*/15 9-17 * * 1-5", "0 0 13 * 5"])
def test_next_fire_agrees_with_prefects_croniter(cron):
    start = datetime(2024, 12, 30, 16, 7, tzinfo=timezone.utc)
    for step in range(0, 400 * 24 * 60, 7919):
        at = start + timedelta(minutes=step)
        assert next_fire(cron, at, SHANGHAI) == croniter(cron, at.astimezone(SHANGHAI)).get_next(datetime)


# --- what each run writes -------------------------------------------------------------------------

@pytest.mark.usefixtures("prefect_server")
def test_the_daily_monitor_writes_a_summary_row_with_its_counts_per_sweep(any_db):
    small_world(any_db)
    result = daily_monitor(as_of=date(2025, 3, 3), database_url=any_db.url)

    with any_db.read() as s:
        [run] = s.exec(select(FlowRun)).all()
    assert (run.name, run.as_of, run.state) == ("daily-monitor", "2025-03-03", "completed")
    assert run.summary == result and set(run.summary["extra"]) >= {"four_type", "quality_review"}
    assert run.finished_at >= run.started_at


def test_a_flow_that_raises_is_recorded_as_failed_with_its_error(any_db):
    @recorded("weekly-notice")
    def broken(as_of=None, database_url=None):
        raise RuntimeError("the report template is missing")

    with pytest.raises(RuntimeError):
        broken(database_url=any_db.url)
    with any_db.read() as s:
        [run] = s.exec(select(FlowRun)).all()
    assert (run.state, run.summary) == ("failed", {"error": "RuntimeError: the report template is missing"})


def test_only_the_last_runs_of_a_flow_are_kept(any_db, monkeypatch):
    import flows.run_log

    monkeypatch.setattr(flows.run_log, "KEEP", 3)
    minute = recorded("deliver-notices")(lambda now=None, database_url=None: {"sent": 1})
    daily = recorded("daily-monitor")(lambda as_of=None, database_url=None: {})
    daily(as_of=date(2025, 3, 3), database_url=any_db.url)
    for _ in range(5):
        minute(database_url=any_db.url)

    with any_db.read() as s:
        names = [r.name for r in s.exec(select(FlowRun).order_by(FlowRun.id)).all()]
    assert names == ["daily-monitor"] + ["deliver-notices"] * 3


# --- dead letters ---------------------------------------------------------------------------------

@pytest.fixture
def court(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_user(s, world, "admin", "hp", ["system"])
        add_user(s, world, "office_sh", "sh", ["trial_office"])
    return world


def dead_notice(db, court, sink, now) -> int:
    """A notice to judge_a whose webhook fails on its sixth and last try."""
    judge = court.users["judge_a"].id
    with db.write() as s:
        s.add(Channel(user_id=judge, kind="webhook", target=f"{sink.url}/hook"))
        enqueue(s, kind="deadline_warning", recipients=[judge], dedupe_key="deadline:7:7", at=now, context=WARNING,
                court_id=court.courts["hp"].id)
        s.exec(update(Notice).values(attempts=5))
    assert deliver_due(db, now) == {"dead": 1}
    with db.read() as s:
        return s.exec(select(Notice.id).where(Notice.state == "dead")).one()


def alerts(db) -> list[Notice]:
    with db.read() as s:
        return list(s.exec(select(Notice).where(Notice.kind == dead_letters.ALERT_KIND).order_by(Notice.id)).all())


def test_a_dead_notice_alerts_the_courts_trial_office_and_administrators_once(any_db, court, now):
    with HttpSink(fail_first=100) as sink:
        notice_id = dead_notice(any_db, court, sink, now)
        deliver_due(any_db, now + HOUR)
        with any_db.write() as s:
            assert dead_letters.alert_keepers(s, notice_id, now + DAY) == 0

    got = alerts(any_db)
    assert sorted(a.recipient_user_id for a in got) == sorted([court.users["office"].id, court.users["admin"].id])
    assert all(a.subject_id == notice_id and a.context["attempts"] == 6 and "500" in a.context["last_error"]
               for a in got)


def test_the_api_lists_dead_notices_to_keepers_of_their_court_only(client, any_db, court, now):
    with HttpSink(fail_first=100) as sink:
        notice_id = dead_notice(any_db, court, sink, now)

    body = client.get("/api/v1/flow-health", headers=login(client, "office")).json()
    assert [d["id"] for d in body["dead_notices"]] == [notice_id]
    assert body["dead_notices"][0]["attempts"] == 6
    assert {f["name"] for f in body["flows"]} == set(deployments())
    assert client.get("/api/v1/flow-health", headers=login(client, "office_sh")).json()["dead_notices"] == []
    assert client.get("/api/v1/flow-health", headers=login(client, "judge_a")).status_code == 403
    assert client.get("/api/v1/flow-health").status_code == 401


def test_a_dead_notice_is_retried_from_the_api_and_then_delivered(client, any_db, court, now):
    with HttpSink(fail_first=1) as sink:
        notice_id = dead_notice(any_db, court, sink, now)
        url = f"/api/v1/flow-health/dead-notices/{notice_id}/retry"

        assert client.post(url, headers=login(client, "judge_a")).status_code == 403
        assert client.post(url, headers=login(client, "office_sh")).status_code == 404
        r = client.post(url, headers=login(client, "admin"))
        assert (r.status_code, r.json()) == (200, {"id": notice_id, "state": "pending", "attempts": 0})
        again = client.post(url, headers=login(client, "office"))
        assert again.status_code == 409 and "pending" in again.json()["detail"]

        deliver_due(any_db, now + MINUTE)  # (the alerts to the keepers go out too)
    assert len(sink.received) == 1
    with any_db.read() as s:
        assert (s.get(Notice, notice_id).state, s.get(Notice, notice_id).attempts) == ("sent", 1)
        [entry] = s.exec(select(TraceEntry).where(TraceEntry.action == "notice.retry")).all()
    assert (entry.actor, entry.subject_id, entry.before["state"], entry.after["state"]) == (
        "admin", notice_id, "dead", "pending")
    assert client.post("/api/v1/flow-health/dead-notices/999999/retry", headers=login(client, "office")).status_code == 404
    assert client.post(f"/api/v1/flow-health/dead-notices/{2**70}/retry",
                       headers=login(client, "office")).status_code == 422


def test_the_flow_health_page_shows_runs_and_dead_notices_in_chinese_and_retries(client, any_db, court, now):
    add_run(any_db, "deliver-notices", now - 10 * MINUTE, summary={"sent": 4, "dead": 1})
    add_run(any_db, "daily-monitor", now - HOUR, state="failed", summary={"error": "OperationalError: gone"})
    with HttpSink(fail_first=100) as sink:
        notice_id = dead_notice(any_db, court, sink, now)
    page_login(client, "office")

    page = client.get("/flows")
    assert page.status_code == 200
    text = page.text
    for words in ("流程运行状况", "通知投递", "日监测", "已送达 4", "未按时运行", "运行失败", "投递失败的通知",
                  "审限预警：(2025)辽0102民初7号 剩余 7 天", "重新投递"):
        assert words in text, words
    assert not re.search(r">\s*(deliver-notices|completed|failed|late)\s*<", text)

    r = client.post(f"/flows/dead-notices/{notice_id}/retry", data={"csrf_token": csrf_of(text)})
    assert (r.status_code, r.headers["location"]) == (303, f"/flows?retried={notice_id}")
    assert "已重新排入投递队列" in client.get(r.headers["location"]).text
    with any_db.read() as s:
        assert s.get(Notice, notice_id).state == "pending"
    refused = client.post(f"/flows/dead-notices/{notice_id}/retry", data={"csrf_token": csrf_of(text)})
    assert refused.status_code == 409 and "不是投递失败状态" in refused.text
    assert client.post(f"/flows/dead-notices/{2**70}/retry", data={"csrf_token": csrf_of(text)}).status_code == 422


def test_the_flow_health_page_is_for_keepers_only(client, any_db, court):
    page_login(client, "judge_a")
    assert client.get("/flows").status_code == 403
    assert "/flows" not in client.get("/tasks").text


# --- courtflow status -----------------------------------------------------------------------------

def test_courtflow_status_prints_the_table_and_fails_when_a_flow_is_late_or_failed(any_db, now, monkeypatch, capsys):
    monkeypatch.setattr(status_cli, "database", lambda: any_db)
    for name in deployments():
        add_run(any_db, name, now - MINUTE, summary={"sent": 2} if name == "deliver-notices" else {})
    at = "2025-03-03T10:00:30+08:00"

    assert status_cli.status_command(["--now", at]) == 0
    out = capsys.readouterr().out
    header, *rows = out.splitlines()[:7]
    assert header.split() == ["FLOW", "LAST", "RUN", "STATE", "DURATION", "WROTE", "NEXT", "RUN", "FLAGS"]
    deliver = next(r for r in rows if r.startswith("deliver-notices"))
    assert "2025-03-03 09:59" in deliver and "completed" in deliver and "sent=2" in deliver
    assert "2025-03-03 10:01" in deliver and deliver.endswith("ok")
    assert "undeliverable notices: 0" in out

    add_run(any_db, "daily-monitor", now, state="failed", summary={"error": "boom"})
    assert status_cli.status_command(["--now", "2025-03-03T10:05:00+08:00"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^deliver-notices .* LATE$", out, re.M)
    assert re.search(r"^daily-monitor .*failed.* FAILED$", out, re.M)
    assert status_cli.status_command(["--now", "yesterday"]) == 2
