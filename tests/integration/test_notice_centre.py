"""The notice centre (站内通知), own channels and quiet hours, over HTTP on SQLite and PostgreSQL,
with real delivery through the deliver-notices flow to a real webhook sink."""
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from flows.deliver_notices import deliver_notices
from services.kernel.clock import COURT_TZ
from store.models import Channel, Notice, NoticePreference
from store.outbox import apply_notice_settings, enqueue
from tests.factories import small_world
from tests.integration.conftest import login
from tests.integration.sinks import HttpSink
from tests.integration.test_pages import csrf_of, page_login

SAMPLES = Path(__file__).resolve().parent.parent / "notice_samples"
WARNING = json.loads((SAMPLES / "deadline_warning.json").read_text(encoding="utf-8"))
OVERDUE = json.loads((SAMPLES / "deadline_overdue.json").read_text(encoding="utf-8"))
WARNING_TITLE = "审限预警：(2025)辽0102民初123号 剩余 7 天"
SECRET = "s3cr3t-hook-token-123"
flow_test = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def uid(world, name: str) -> int:
    return world.users[name].id


def notify(db, user_ids, key, at, kind="deadline_warning", context=WARNING, subject=("cases", 42)) -> None:
    with db.write() as s:
        enqueue(s, kind=kind, recipients=user_ids, dedupe_key=key, at=at, context=context,
                subject_kind=subject[0], subject_id=subject[1])


def notices_of(db, user_id: int) -> list[Notice]:
    with db.read() as s:
        return list(s.exec(select(Notice).where(Notice.recipient_user_id == user_id).order_by(Notice.id)).all())


def run(db, now) -> dict:
    return deliver_notices(now=now, database_url=db.url)


def utc(value):
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)


def shanghai(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=COURT_TZ).astimezone(timezone.utc)


# --- the notice centre ------------------------------------------------------------------------

@flow_test
def test_a_judge_without_a_channel_gets_the_notice_in_app_never_no_channel(any_db, world, client, now):
    judge = uid(world, "judge_a")
    notify(any_db, [judge], "deadline:42:7", now)

    assert run(any_db, now) == {"in_app": 1}

    [notice] = notices_of(any_db, judge)
    assert (notice.state, utc(notice.sent_at)) == ("in_app", now)
    listing = client.get("/api/v1/notices", headers=login(client, "judge_a")).json()
    assert (listing["total"], listing["unread"]) == (1, 1)
    [item] = listing["items"]
    assert (item["title"], item["subject_url"], item["unread"], item["delivery"]) == (
        WARNING_TITLE, "/cases/42", True, "in_app")
    assert "2025年3月10日" in item["body"]
    assert datetime.fromisoformat(item["created_at"]) == now  # with its zone, on SQLite too


def test_a_notice_is_in_the_centre_before_and_whatever_its_external_delivery(any_db, world, client, now):
    judge = uid(world, "judge_a")
    notify(any_db, [judge], "deadline:42:7", now)
    with any_db.write() as s:
        s.add(Notice(dedupe_key="dead:1", kind="deadline_overdue", recipient_user_id=judge, context=OVERDUE,
                     state="dead", created_at=now + timedelta(minutes=1), last_error="500"))

    items = client.get("/api/v1/notices", headers=login(client, "judge_a")).json()["items"]

    assert [(i["kind"], i["delivery"]) for i in items] == [("deadline_overdue", "dead"), ("deadline_warning", "pending")]


def test_marking_read_one_and_all_changes_the_unread_count(any_db, world, client, now):
    judge = uid(world, "judge_a")
    for n in range(3):
        notify(any_db, [judge], f"deadline:{n}:7", now + timedelta(minutes=n))
    headers = login(client, "judge_a")
    first, second, third = client.get("/api/v1/notices", headers=headers).json()["items"][::-1]

    read = client.post(f"/api/v1/notices/{first['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json()["unread"] is False
    assert client.post(f"/api/v1/notices/{first['id']}/read", headers=headers).status_code == 200  # again: still read
    unread = client.get("/api/v1/notices?unread=true", headers=headers).json()
    assert (unread["unread"], [i["id"] for i in unread["items"]]) == (2, [third["id"], second["id"]])

    assert client.post("/api/v1/notices/read-all", headers=headers).json() == {"marked": 2}
    assert client.get("/api/v1/notices", headers=headers).json()["unread"] == 0
    assert all(utc(n.read_at) == now for n in notices_of(any_db, judge))


def test_a_person_sees_and_marks_only_their_own_notices(any_db, world, client, now):
    notify(any_db, [uid(world, "judge_a")], "deadline:42:7", now)
    notify(any_db, [uid(world, "judge_b")], "deadline:43:7", now)
    [theirs] = notices_of(any_db, uid(world, "judge_b"))
    headers = login(client, "judge_a")

    items = client.get("/api/v1/notices", headers=headers).json()["items"]
    assert [i["id"] for i in items] != [theirs.id] and len(items) == 1
    assert client.post(f"/api/v1/notices/{theirs.id}/read", headers=headers).status_code == 404
    assert client.post("/api/v1/notices/read-all", headers=headers).json() == {"marked": 1}
    assert notices_of(any_db, uid(world, "judge_b"))[0].read_at is None
    assert client.get("/api/v1/notices", headers=login(client, "judge_b")).json()["unread"] == 1


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "offset=99999999999", "unread=maybe"])
def test_out_of_range_list_parameters_are_422(any_db, world, client, query):
    assert client.get(f"/api/v1/notices?{query}", headers=login(client, "judge_a")).status_code == 422


def test_a_notice_id_beyond_64_bits_is_422_not_500(any_db, world, client):
    headers = login(client, "judge_a")
    assert client.post(f"/api/v1/notices/{2**70}/read", headers=headers).status_code == 422
    assert client.post("/api/v1/notices/0/read", headers=headers).status_code == 422


def test_the_header_counts_unread_and_the_page_lists_marks_and_links(any_db, world, client, now):
    notify(any_db, [uid(world, "judge_a")], "deadline:42:7", now)
    notify(any_db, [uid(world, "judge_a")], "deadline:43:7", now, subject=("exit_proceedings", 5))
    page_login(client, "judge_a")

    tasks = client.get("/tasks").text
    assert 'id="unread-count">2<' in tasks and 'href="/notices"' in tasks
    page = client.get("/notices").text
    assert WARNING_TITLE in page and "2025年3月3日 10:00" in page  # 02:00 UTC is 10:00 in Asia/Shanghai
    assert 'href="/cases/42"' in page and 'href="/exits/5"' in page and page.count('class="notice unread"') == 2

    [first, _] = notices_of(any_db, uid(world, "judge_a"))
    assert client.post(f"/notices/{first.id}/read", data={}).status_code == 403
    assert client.post(f"/notices/{first.id}/read", data={"csrf_token": csrf_of(page)}).status_code == 303
    assert 'id="unread-count">1<' in client.get("/notices").text
    assert client.post("/notices/read-all", data={"csrf_token": csrf_of(page)}).status_code == 303
    page = client.get("/notices").text
    assert 'id="unread-count"' not in page and 'class="notice unread"' not in page


def test_another_persons_notice_on_the_page_is_404(any_db, world, client, now):
    notify(any_db, [uid(world, "judge_b")], "deadline:42:7", now)
    [theirs] = notices_of(any_db, uid(world, "judge_b"))
    page_login(client, "judge_a")
    token = csrf_of(client.get("/notices").text)

    assert client.post(f"/notices/{theirs.id}/read", data={"csrf_token": token}).status_code == 404
    assert notices_of(any_db, uid(world, "judge_b"))[0].read_at is None


# --- channels ---------------------------------------------------------------------------------

def test_a_channel_is_saved_masked_listed_and_deactivated(any_db, world, client):
    headers = login(client, "judge_a")
    target = f"https://hooks.court.cn/notify?token={SECRET}"

    r = client.post("/api/v1/me/channels", json={"kind": "webhook", "target": target, "label": "本庭群"}, headers=headers)

    assert r.status_code == 201, r.text
    assert r.json()["target"] == "https://hooks.court.cn/***" and SECRET not in r.text
    listed = client.get("/api/v1/me/channels", headers=headers)
    assert [c["label"] for c in listed.json()] == ["本庭群"] and SECRET not in listed.text
    assert client.get("/api/v1/me/channels", headers=login(client, "judge_b")).json() == []
    channel_id = r.json()["id"]
    assert client.delete(f"/api/v1/me/channels/{channel_id}", headers=login(client, "judge_b")).status_code == 404
    assert client.delete(f"/api/v1/me/channels/{channel_id}", headers=headers).json()["active"] is False
    assert client.get("/api/v1/me/channels", headers=headers).json() == []
    with any_db.read() as s:
        assert s.get(Channel, channel_id).target == target  # kept for the delivery history, inactive


@pytest.mark.parametrize("kind, target, secret", [
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123", "0123456789abcdef0123"),
    ("wecom", "693a91f6-7aaa-4bbb-8ccc-0123456789ab", "693a91f6-7aaa-4bbb-8ccc-0123456789ab"),
    ("apprise", "ntfy://court-notices-topic-1234", "court-notices-topic-1234"),
    ("email", "wangjianguo@court.cn", "wangjianguo"),
])
def test_no_secret_of_a_channel_is_shown_back(any_db, world, client, kind, target, secret):
    headers = login(client, "judge_a")
    r = client.post("/api/v1/me/channels", json={"kind": kind, "target": target}, headers=headers)
    assert r.status_code == 201, r.text
    assert secret not in client.get("/api/v1/me/channels", headers=headers).text
    page_login(client, "judge_a")
    assert secret not in client.get("/settings/notifications").text


@pytest.mark.parametrize("kind, target", [
    ("webhook", "ftp://files.court.cn/hook"), ("webhook", "not a url"), ("email", "judge-at-court.cn"),
    ("dingtalk", "has spaces"), ("apprise", "nosuchservice://x"), ("webhook", "https://" + "a" * 2000),
])
def test_an_unusable_channel_is_422_naming_the_target_and_not_saved(any_db, world, client, kind, target):
    r = client.post("/api/v1/me/channels", json={"kind": kind, "target": target}, headers=login(client, "judge_a"))

    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][-1] == "target"
    with any_db.read() as s:
        assert s.exec(select(Channel)).all() == []


def test_the_same_channel_twice_is_409(any_db, world, client):
    headers = login(client, "judge_a")
    body = {"kind": "webhook", "target": "https://hooks.court.cn/a"}
    assert client.post("/api/v1/me/channels", json=body, headers=headers).status_code == 201
    r = client.post("/api/v1/me/channels", json=body, headers=headers)
    assert r.status_code == 409 and "already" in r.json()["detail"]


def test_the_settings_page_refuses_a_bad_webhook_in_chinese_naming_the_field(any_db, world, client):
    page_login(client, "judge_a")
    token = csrf_of(client.get("/settings/notifications").text)
    form = {"csrf_token": token, "kind": "webhook", "target": "ftp://files.court.cn/hook", "label": "群"}

    r = client.post("/settings/notifications/channels", data=form)

    assert r.status_code == 422
    assert "地址或令牌：Webhook 地址须以 http:// 或 https:// 开头并含有主机名" in r.text
    assert client.post("/settings/notifications/channels", data={**form, "csrf_token": "x"}).status_code == 403
    bad_mail = client.post("/settings/notifications/channels", data={**form, "kind": "email", "target": "nobody"})
    assert bad_mail.status_code == 422 and "不是有效的电子邮件地址" in bad_mail.text
    ok = client.post("/settings/notifications/channels",
                     data={**form, "target": f"https://hooks.court.cn/x?token={SECRET}"})
    assert ok.status_code == 303
    page = client.get(ok.headers["location"]).text
    assert "渠道已添加" in page and "https://hooks.court.cn/***" in page and SECRET not in page


@flow_test
def test_a_test_notice_arrives_at_that_channel_only_through_the_flow(any_db, world, client, now):
    with HttpSink() as tested, HttpSink() as other:
        headers = login(client, "judge_a")
        ids = [client.post("/api/v1/me/channels", json={"kind": "webhook", "target": f"{sink.url}/hook"},
                           headers=headers).json()["id"] for sink in (tested, other)]

        r = client.post(f"/api/v1/me/channels/{ids[0]}/test", headers=headers)
        assert r.status_code == 202
        assert client.post(f"/api/v1/me/channels/{ids[0]}/test", headers=headers).status_code == 409  # same instant
        assert client.post(f"/api/v1/me/channels/{ids[0]}/test", headers=login(client, "judge_b")).status_code == 404

        assert run(any_db, now) == {"sent": 1}

    [body] = tested.received
    assert body["title"] == "测试通知：通知渠道已可用" and other.requests == []
    listing = client.get("/api/v1/notices", headers=headers).json()
    assert (listing["unread"], listing["items"][0]["kind"], listing["items"][0]["delivery"]) == (1, "channel_test", "sent")


# --- quiet hours ------------------------------------------------------------------------------

@flow_test
def test_quiet_hours_hold_an_ordinary_notice_till_morning_but_not_an_urgent_one(any_db, world, client):
    headers = login(client, "judge_a")
    with HttpSink() as sink:
        client.post("/api/v1/me/channels", json={"kind": "webhook", "target": sink.url}, headers=headers)
        r = client.put("/api/v1/me/notice-settings", json={"quiet_start": "22:00", "quiet_end": "07:00"}, headers=headers)
        assert r.json() == {"quiet_start": "22:00", "quiet_end": "07:00", "daily_digest": False}
        night, morning = shanghai("2025-03-03T23:30"), shanghai("2025-03-04T07:00")
        judge = uid(world, "judge_a")
        notify(any_db, [judge], "deadline:42:7", night)
        notify(any_db, [judge], "overdue:42:3", night, kind="deadline_overdue", context=OVERDUE)

        assert run(any_db, night) == {"sent": 1}
        assert [b["title"] for b in sink.received] == ["审限超期：(2025)辽0102民初123号"]
        assert client.get("/api/v1/notices", headers=headers).json()["unread"] == 2  # both in-app at once
        assert run(any_db, morning - timedelta(minutes=1)) == {}
        assert run(any_db, morning) == {"sent": 1}
        assert len(sink.received) == 2 and sink.received[1]["title"] == WARNING_TITLE


def test_a_notice_outside_quiet_hours_is_not_held(any_db, world, client, now):
    client.put("/api/v1/me/notice-settings", json={"quiet_start": "22:00", "quiet_end": "07:00"},
               headers=login(client, "judge_a"))
    notify(any_db, [uid(world, "judge_a")], "deadline:42:7", now)  # 10:00 in Shanghai

    assert utc(notices_of(any_db, uid(world, "judge_a"))[0].next_attempt_at) == now


def test_notices_a_sweep_wrote_in_bulk_are_held_for_quiet_hours_too(any_db, world):
    night = shanghai("2025-03-04T00:30")  # when the daily monitor runs
    judge, other = uid(world, "judge_a"), uid(world, "judge_b")
    with any_db.write() as s:
        s.add(NoticePreference(user_id=judge, quiet_start=22 * 60, quiet_end=7 * 60))
        for n, (user, kind) in enumerate([(judge, "deadline_warning"), (judge, "deadline_overdue"),
                                          (other, "deadline_warning")]):
            s.add(Notice(dedupe_key=f"sweep:{n}", kind=kind, recipient_user_id=user, context={},
                         created_at=night, next_attempt_at=night))
        s.flush()
        assert apply_notice_settings(s, night) == 1
    due = {(n.recipient_user_id, n.kind): utc(n.next_attempt_at) for n in [*notices_of(any_db, judge),
                                                                            *notices_of(any_db, other)]}
    assert due == {(judge, "deadline_warning"): shanghai("2025-03-04T07:00"), (judge, "deadline_overdue"): night,
                   (other, "deadline_warning"): night}


@pytest.mark.parametrize("body, field", [
    ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
    ({"quiet_start": "22:00", "quiet_end": ""}, "quiet_end"),
    ({"quiet_start": "22:00", "quiet_end": "22:00"}, "quiet_end"),
    ({"quiet_start": "ten", "quiet_end": "07:00"}, "quiet_start"),
])
def test_bad_quiet_hours_are_422_naming_the_field(any_db, world, client, body, field):
    headers = login(client, "judge_a")
    r = client.put("/api/v1/me/notice-settings", json=body, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == field
    assert client.get("/api/v1/me/notice-settings", headers=headers).json() == {
        "quiet_start": "", "quiet_end": "", "daily_digest": False}


def test_quiet_hours_are_switched_off_with_both_times_empty(any_db, world, client):
    headers = login(client, "judge_a")
    client.put("/api/v1/me/notice-settings", json={"quiet_start": "22:00", "quiet_end": "07:00"}, headers=headers)
    client.put("/api/v1/me/notice-settings", json={"quiet_start": "", "quiet_end": ""}, headers=headers)
    assert client.get("/api/v1/me/notice-settings", headers=headers).json() == {
        "quiet_start": "", "quiet_end": "", "daily_digest": False}


def test_the_settings_page_sets_quiet_hours_and_refuses_a_bad_time_in_chinese(any_db, world, client):
    page_login(client, "judge_a")
    token = csrf_of(client.get("/settings/notifications").text)

    bad = client.post("/settings/notifications/timing",
                      data={"csrf_token": token, "quiet_start": "25:00", "quiet_end": "07:00"})
    assert bad.status_code == 422 and "开始（北京时间）：时间格式应为 时:分，例如 22:00" in bad.text
    ok = client.post("/settings/notifications/timing",
                     data={"csrf_token": token, "quiet_start": "22:00", "quiet_end": "07:00"})
    assert ok.status_code == 303
    page = client.get(ok.headers["location"]).text
    assert "推送时间设置已保存" in page and 'value="22:00"' in page and 'value="07:00"' in page
    client.get("/lang/en?next=/settings/notifications")
    english = client.get("/settings/notifications").text
    assert "Notice settings" in english and "Quiet hours" in english and "通知设置" not in english


def test_each_subject_links_to_its_own_page():
    from services.kernel.notices import subject_url

    assert [subject_url(*s) for s in [("cases", 1), ("exit_proceedings", 2), ("supervisions", 3), ("report", 4),
                                      ("weekly_commitment", 5), ("", None)]] == [
        "/cases/1", "/exits/2", "/s/supervisions/3", "/reports/4", None, None]


# --- daily digest -----------------------------------------------------------------------------

@flow_test
def test_the_daily_digest_sends_ordinary_notices_as_one_message_at_eight(any_db, world, client):
    from services.kernel.sweeps import run_daily_monitor

    headers = login(client, "judge_a")
    judge = uid(world, "judge_a")
    afternoon, monitor_at = shanghai("2025-03-03T15:00"), shanghai("2025-03-04T00:30")
    with HttpSink() as sink:
        client.post("/api/v1/me/channels", json={"kind": "webhook", "target": sink.url}, headers=headers)
        r = client.put("/api/v1/me/notice-settings", json={"daily_digest": True}, headers=headers)
        assert r.json() == {"quiet_start": "", "quiet_end": "", "daily_digest": True}
        for n in (1, 2):
            notify(any_db, [judge], f"deadline:{n}:7", afternoon,
                   context=dict(WARNING, case_number=f"(2025)辽0102民初{n}号"))
        notify(any_db, [judge], "overdue:9:3", afternoon, kind="deadline_overdue", context=OVERDUE)

        assert run(any_db, afternoon) == {"sent": 1}  # the urgent one at once
        assert client.get("/api/v1/notices", headers=headers).json()["unread"] == 3  # all three in-app at once

        assert run_daily_monitor(any_db, monitor_at.date(), monitor_at).extra["digests"] == 1
        assert run_daily_monitor(any_db, monitor_at.date(), monitor_at).extra["digests"] == 0
        assert run(any_db, shanghai("2025-03-04T07:59")) == {}
        assert run(any_db, shanghai("2025-03-04T08:00")) == {"sent": 1}

    assert len(sink.received) == 2
    digest = sink.received[1]
    assert digest["title"] == "每日通知汇总（2025年3月4日）：共 2 条"
    assert "(2025)辽0102民初1号" in digest["message"] and "(2025)辽0102民初2号" in digest["message"]
    assert sorted(n.state for n in notices_of(any_db, judge)) == ["digested", "digested", "sent", "sent"]


def test_the_settings_page_turns_the_daily_digest_on(any_db, world, client):
    page_login(client, "judge_a")
    token = csrf_of(client.get("/settings/notifications").text)

    r = client.post("/settings/notifications/timing", data={"csrf_token": token, "daily_digest": "on"})

    assert r.status_code == 303
    assert 'id="daily-digest" checked' in client.get("/settings/notifications").text
    headers = login(client, "judge_a")
    assert client.get("/api/v1/me/notice-settings", headers=headers).json()["daily_digest"] is True


@pytest.mark.parametrize("kind, target, shown", [
    ("webhook", f"https://hooks.court.cn:8443/a/b?token={SECRET}", "https://hooks.court.cn:8443/***"),
    ("webhook", f"https://user:{SECRET}@hooks.court.cn/x", "https://hooks.court.cn/***"),
    ("dingtalk", f"dingtalk://{SECRET}/", "dingtalk://***"),
    ("wecom", SECRET, "***"),
    ("email", "judge@court.cn", "j***@court.cn"),
    ("webhook", "http://[broken", "http://***"),
    ("webhook", "http://hooks.court.cn:99999/", "http://***"),
])
def test_a_target_is_shown_back_with_scheme_and_host_at_most(kind, target, shown):
    from services.kernel.my_channels import masked

    assert masked(kind, target) == shown
