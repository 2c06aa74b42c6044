"""Notices reach real endpoints once, in the recipient's language, with retries and recovery from a killed run."""
import json
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from flows.deliver_notices import deliver_notices
from notifications.channels import validate_channel
from notifications.dispatch import RECIPIENT_INACTIVE
from notifications import render as render_module
from notifications.render import RenderError, kinds, render
from store.models import Channel, Court, DeliveryAttempt, Notice, User
from store.outbox import enqueue
from tests.chinese_text import ISO_DATE
from tests.integration.sinks import HttpSink, SmtpSink

CASE = "(2025)辽0102民初123号"
WARNING = dict(case_number=CASE, deadline="2025-03-10", days_left=7)
MINUTE = timedelta(minutes=1)
flow_test = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def http_sink():
    with HttpSink() as sink:
        yield sink


def add_user(db, *, language="zh", channels=()) -> int:
    with db.write() as s:
        court = s.exec(select(Court)).first() or Court(code="辽0102", name="沈阳市和平区人民法院", level="basic")
        s.add(court)
        s.flush()
        n = s.exec(select(func.count()).select_from(User)).one()
        user = User(username=f"judge{n}", display_name=f"法官{n}", court_id=court.id, language=language)
        s.add(user)
        s.flush()
        s.add_all(Channel(user_id=user.id, kind=kind, target=target) for kind, target in channels)
        return user.id


def notify(db, user_ids, key, at, kind="deadline_warning", context=WARNING) -> int:
    with db.write() as s:
        return enqueue(s, kind=kind, recipients=user_ids, dedupe_key=key, at=at, context=context)


def warn_cases(db, user_id, at, count) -> list[str]:
    """One deadline warning per case; returns the case numbers."""
    cases = [f"(2025)辽0102民初{i}号" for i in range(1, count + 1)]
    for case in cases:
        notify(db, [user_id], f"deadline:{case}:7", at, context=dict(WARNING, case_number=case))
    return cases


def notices(db) -> list[Notice]:
    with db.read() as s:
        return list(s.exec(select(Notice).order_by(Notice.id)).all())


def attempts(db, notice_id) -> list[DeliveryAttempt]:
    with db.read() as s:
        return list(s.exec(select(DeliveryAttempt).where(DeliveryAttempt.notice_id == notice_id)
                           .order_by(DeliveryAttempt.id)).all())


def run(db, now, **kwargs) -> dict:
    return deliver_notices(now=now, database_url=db.url, **kwargs)


def utc(value):
    """SQLite hands timestamps back naive (in UTC)."""
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)


def received_cases(sink) -> list[str]:
    return sorted(body["title"].split("：")[1].split(" ")[0] for body in sink.received)


# --- delivery to real endpoints -------------------------------------------------------------

@flow_test
def test_a_webhook_notice_arrives_with_its_chinese_title(db, http_sink, now):
    user = add_user(db, channels=[("webhook", f"{http_sink.url}/hook?token=abc")])
    notify(db, [user], "deadline:1:7", now)

    assert run(db, now) == {"sent": 1}

    [body] = http_sink.received
    assert body["title"] == f"审限预警：{CASE} 剩余 7 天"
    assert "2025年3月10日" in body["message"]
    assert http_sink.requests[0]["path"] == "/hook?token=abc"
    [notice] = notices(db)
    assert (notice.state, utc(notice.sent_at), notice.attempts) == ("sent", now, 1)
    assert [a.ok for a in attempts(db, notice.id)] == [True]


@flow_test
def test_an_english_speaking_user_gets_english(db, http_sink, now):
    user = add_user(db, language="en", channels=[("webhook", http_sink.url)])
    notify(db, [user], "deadline:1:7", now)

    run(db, now)

    [body] = http_sink.received
    assert body["title"] == f"Time limit warning: {CASE}, 7 days left"


@flow_test
def test_an_email_notice_arrives_at_the_smtp_server(db, now, monkeypatch):
    with SmtpSink() as smtp:
        monkeypatch.setenv("COURTFLOW_SMTP_URL", smtp.apprise_url)
        user = add_user(db, channels=[("email", "judge@court.cn")])
        notify(db, [user], "deadline:1:7", now)

        assert run(db, now) == {"sent": 1}

    [message] = smtp.messages
    assert message["Subject"] == f"审限预警：{CASE} 剩余 7 天"
    assert "judge@court.cn" in message["To"]
    assert CASE in message.get_body(preferencelist=("plain", "html")).get_content()


@flow_test
def test_running_the_flow_twice_delivers_each_notice_once(any_db, http_sink, now):
    judge = add_user(any_db, channels=[("webhook", http_sink.url)])
    chief = add_user(any_db, channels=[("webhook", http_sink.url)])
    notify(any_db, [judge, chief], "deadline:1:7", now)
    notify(any_db, [judge], "deadline:2:7", now, context=dict(WARNING, case_number="(2025)辽0102民初2号"))

    assert run(any_db, now) == {"sent": 3}
    assert run(any_db, now) == {}
    assert run(any_db, now + timedelta(days=1)) == {}

    assert len(http_sink.received) == 3
    assert all(n.state == "sent" and n.attempts == 1 for n in notices(any_db))


@flow_test
def test_a_failing_endpoint_is_retried_with_backoff_until_it_accepts(db, now):
    with HttpSink(fail_first=2) as sink:
        user = add_user(db, channels=[("webhook", sink.url)])
        notify(db, [user], "deadline:1:7", now)

        assert run(db, now) == {"pending": 1}
        assert utc(notices(db)[0].next_attempt_at) == now + MINUTE
        assert run(db, now + 30 * timedelta(seconds=1)) == {}
        assert run(db, now + MINUTE) == {"pending": 1}
        assert utc(notices(db)[0].next_attempt_at) == now + 3 * MINUTE
        assert run(db, now + 3 * MINUTE) == {"sent": 1}

    [notice] = notices(db)
    assert (notice.state, notice.attempts, utc(notice.sent_at)) == ("sent", 3, now + 3 * MINUTE)
    tries = attempts(db, notice.id)
    assert [(a.ok, utc(a.at)) for a in tries] == [(False, now), (False, now + MINUTE), (True, now + 3 * MINUTE)]
    assert "500" in tries[0].error
    assert len(sink.received) == 1 and len(sink.requests) == 3


@flow_test
def test_a_run_stopped_after_part_of_the_queue_is_finished_by_the_next(any_db, http_sink, now):
    user = add_user(any_db, channels=[("webhook", http_sink.url)])
    cases = warn_cases(any_db, user, now, 5)

    assert run(any_db, now, batch=2) == {"sent": 2}
    assert run(any_db, now) == {"sent": 3}
    assert run(any_db, now) == {}

    assert received_cases(http_sink) == sorted(cases)


@flow_test
def test_a_claim_left_by_a_killed_run_is_taken_over_only_once_its_lease_expired(any_db, http_sink, now):
    user = add_user(any_db, channels=[("webhook", http_sink.url)])
    stale_case, fresh_case = warn_cases(any_db, user, now - 20 * MINUTE, 2)
    stale, fresh = notices(any_db)
    with any_db.write() as s:
        for notice, until in ((stale, now - MINUTE), (fresh, now + 9 * MINUTE)):
            s.exec(update(Notice).where(Notice.id == notice.id)
                   .values(state="sending", claimed_at=until - 2 * MINUTE, claimed_until=until, claim_token="dead"))

    assert run(any_db, now) == {"sent": 1}
    assert received_cases(http_sink) == [stale_case]
    assert notices(any_db)[1].state == "sending"

    assert run(any_db, now + 10 * MINUTE) == {"sent": 1}
    assert run(any_db, now + 60 * MINUTE) == {}
    assert received_cases(http_sink) == sorted([stale_case, fresh_case])


@flow_test
def test_a_notice_is_dead_after_the_maximum_attempts_and_keeps_no_secret(db, now):
    secret = "s3cr3t-token-value"
    with HttpSink(fail_first=100) as sink:
        user = add_user(db, channels=[("webhook", f"{sink.url}/hook?token={secret}")])
        notify(db, [user], "deadline:1:7", now)
        at, waits = now, []
        for _ in range(6):
            run(db, at)
            notice = notices(db)[0]
            waits.append(utc(notice.next_attempt_at) - at)
            at = utc(notice.next_attempt_at)
        assert run(db, at + timedelta(days=1)) == {}

    assert waits[:5] == [MINUTE * m for m in (1, 2, 4, 8, 16)]
    assert (notice.state, notice.attempts) == ("dead", 6)
    assert "500" in notice.last_error and secret not in notice.last_error
    tries = attempts(db, notice.id)
    assert len(tries) == 6 and not any(a.ok or secret in a.error for a in tries)
    assert len(sink.requests) == 6


@flow_test
def test_a_recipient_without_a_channel_has_it_delivered_in_app_and_not_retried(db, now):
    user = add_user(db, channels=[])
    notify(db, [user], "deadline:1:7", now)

    assert run(db, now) == {"in_app": 1}
    assert run(db, now + timedelta(days=1)) == {}
    [notice] = notices(db)
    assert (notice.state, utc(notice.sent_at), notice.last_error) == ("in_app", now, "")


@flow_test
def test_a_deactivated_recipient_without_a_channel_is_refused_with_a_clear_state(db, now):
    user = add_user(db, channels=[])
    with db.write() as s:
        s.exec(update(User).where(User.id == user).values(active=False))
    notify(db, [user], "deadline:1:7", now)

    assert run(db, now) == {"recipient_inactive": 1}
    [notice] = notices(db)
    assert (notice.state, notice.last_error) == ("recipient_inactive", RECIPIENT_INACTIVE)


@flow_test
def test_a_notice_that_cannot_be_rendered_is_dead_at_once(db, http_sink, now):
    user = add_user(db, channels=[("webhook", http_sink.url)])
    notify(db, [user], "deadline:1:7", now, context={"case_number": CASE})

    assert run(db, now) == {"dead": 1}
    assert "days_left" in notices(db)[0].last_error
    assert http_sink.requests == []


def test_enqueueing_twice_with_the_same_key_stores_one_notice(any_db, now):
    user = add_user(any_db)

    notify(any_db, [user], "deadline:1:7", now)
    notify(any_db, [user], "deadline:1:7", now + MINUTE)

    [notice] = notices(any_db)
    assert notice.dedupe_key == f"deadline:1:7:u{user}" and utc(notice.next_attempt_at) == now


# --- templates ------------------------------------------------------------------------------

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "notice_samples"
SAMPLES = {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in SAMPLE_DIR.glob("*.json")}
"""One sample context per notice kind, a file each (tests/notice_samples/<kind>.json)."""


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_kind_renders_in_chinese_and_english(kind):
    zh, en = render(kind, SAMPLES[kind], "zh"), render(kind, SAMPLES[kind], "en")

    assert all(zh) and all(en)
    assert kind == "generic" or zh != en
    assert not ISO_DATE.search("".join(zh)), f"a date written 2025-03-10 in the Chinese notice: {zh}"


def test_the_templates_shipped_are_the_kinds_sampled():
    assert kinds() == sorted(SAMPLES)


def test_a_missing_translation_falls_back_to_chinese():
    assert render("deadline_warning", WARNING, "fr") == render("deadline_warning", WARNING, "zh")


def test_a_missing_template_names_its_kind_and_language():
    with pytest.raises(RenderError, match="'no_such_kind' in language 'en'"):
        render("no_such_kind", {}, "en")


def test_a_template_of_a_lifecycle_not_plugged_in_is_not_found(registry):
    render_module.use_directories([name for name in registry.notice_dirs if name != "petitions"])
    try:
        with pytest.raises(RenderError, match="'petition_assigned' in language 'zh'"):
            render("petition_assigned", SAMPLES["petition_assigned"], "zh")
        assert "petition_assigned" not in kinds() and "deadline_warning" in kinds() and "notice_dead" in kinds()
    finally:
        render_module.use_directories(registry.notice_dirs)
    assert all(render("petition_assigned", SAMPLES["petition_assigned"], "zh"))


def test_a_notice_directory_that_does_not_exist_stops_start_up():
    with pytest.raises(ValueError, match=r"no notice template directory for \['petition'\]"):
        render_module.use_directories(["cases", "petition"])
    assert "deadline_warning" in kinds() and "petition_assigned" in kinds()


def test_a_missing_context_key_is_named():
    with pytest.raises(RenderError, match="deadline_warning.zh.txt: 'days_left' is undefined"):
        render("deadline_warning", {"case_number": CASE, "deadline": "2025-03-10"}, "zh")


# --- channels -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, target", [
    ("email", "judge@court.cn"),
    ("dingtalk", "0123456789abcdef"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
    ("webhook", "https://hooks.court.cn/notices?token=abc"),
    ("apprise", "ntfy://court-notices"),
])
def test_a_usable_channel_passes_validation(kind, target):
    assert validate_channel(kind, target) == target


@pytest.mark.parametrize("kind, target, reason", [
    ("email", "not-an-address", "not an e-mail address"),
    ("dingtalk", "has spaces in it", "dingtalk"),
    ("wecom", "https://example.com/", "wecom"),
    ("webhook", "ftp://files.court.cn/x", "http:// or https://"),
    ("apprise", "nosuchservice://x", "Apprise cannot use"),
    ("fax", "010-12345678", "unknown channel kind"),
])
def test_an_unusable_channel_is_refused_with_the_reason(kind, target, reason):
    with pytest.raises(ValueError, match=reason):
        validate_channel(kind, target)
