"""Notices once, as far as a receiver can tell: claim leases, one delivery run at a time, and an idempotency
key on every message that stays the same when a send is repeated."""
import threading
import uuid
from datetime import timedelta

import apprise
import pytest
from sqlalchemy import update
from sqlmodel import select

from flows.deliver_notices import deliver_notices
from notifications.delivery import Heartbeat, claim, deliver_due
from notifications import dispatch
from notifications.dispatch import KEY_HEADER, idempotency_key, with_key
from notifications.retry import DEFAULT_POLICY
from store import leases
from store.models import FlowRun, Notice
from tests.integration.sinks import HttpSink, SmtpSink
from tests.integration.test_notice_delivery import add_user, notices, utc, warn_cases

MINUTE = timedelta(minutes=1)
LEASE = DEFAULT_POLICY.lease


def key_of(db, notice_id: int) -> str:
    with db.read() as s:
        return idempotency_key(s.get(Notice, notice_id).dedupe_key)


# --- the run lease ----------------------------------------------------------------------------

def test_a_run_lease_is_taken_over_only_after_it_expired(any_db, now):
    def acquire(holder, at):
        with any_db.write() as s:
            return leases.acquire(s, "job", holder, at, LEASE)

    def renew(holder, at):
        with any_db.write() as s:
            return leases.renew(s, "job", holder, at, LEASE)

    assert acquire("first", now)
    assert not acquire("second", now + MINUTE)
    assert renew("first", now + MINUTE)  # held until now + 3 min
    assert not acquire("second", now + LEASE + MINUTE - timedelta(seconds=1))
    assert acquire("second", now + LEASE + MINUTE + timedelta(seconds=1))
    assert not renew("first", now + 4 * MINUTE)  # the first run hung past its lease: it is no longer its own


def test_a_released_lease_is_free_at_once(any_db, now):
    with any_db.write() as s:
        assert leases.acquire(s, "job", "first", now, LEASE)
        leases.release(s, "job", "first")
    with any_db.write() as s:
        assert leases.acquire(s, "job", "second", now, LEASE)


class GatedSink(HttpSink):
    """An HTTP sink whose answers wait until the test opens the gate (no sleeping: events)."""

    def __init__(self):
        super().__init__()
        self.arrived, self.gate = threading.Event(), threading.Event()

    def _answer(self, path, raw, headers=None):
        self.arrived.set()
        assert self.gate.wait(timeout=30), "the test never opened the gate"
        return super()._answer(path, raw, headers)


def test_a_second_run_is_refused_as_busy_while_the_first_is_sending(any_db, now):
    with GatedSink() as sink:
        user = add_user(any_db, channels=[("webhook", sink.url)])
        warn_cases(any_db, user, now, 2)
        first: dict = {}
        runner = threading.Thread(target=lambda: first.update(deliver_due(any_db, now)))
        runner.start()
        assert sink.arrived.wait(timeout=30)  # the first run is inside a send, holding the lease

        assert deliver_due(any_db, now) == {"busy": 1}
        assert deliver_due(any_db, now + MINUTE) == {"busy": 1}

        sink.gate.set()
        runner.join(timeout=30)
    assert first == {"sent": 2}
    assert len(sink.received) == 2


@pytest.mark.usefixtures("prefect_server")
def test_the_flow_reports_busy_and_records_it_while_another_run_holds_the_lease(any_db, now):
    with HttpSink() as sink:
        user = add_user(any_db, channels=[("webhook", sink.url)])
        warn_cases(any_db, user, now, 1)
        with any_db.write() as s:
            assert leases.acquire(s, "deliver-notices", "a run that was killed", now, LEASE)

        assert deliver_notices(now=now, database_url=any_db.url) == {"busy": 1}
        assert sink.requests == []
        assert deliver_notices(now=now + LEASE + MINUTE, database_url=any_db.url) == {"sent": 1}

    with any_db.read() as s:
        runs = s.exec(select(FlowRun).where(FlowRun.name == "deliver-notices").order_by(FlowRun.id)).all()
    assert [(r.state, r.summary) for r in runs] == [("busy", {"busy": 1}), ("completed", {"sent": 1})]
    assert all(r.finished_at is not None for r in runs)


# --- claims -----------------------------------------------------------------------------------

def test_a_claim_is_stamped_with_the_clock_at_the_claim_not_the_runs_start(any_db, now):
    user = add_user(any_db, channels=[("webhook", "http://127.0.0.1:9/")])
    [case] = warn_cases(any_db, user, now, 1)
    [notice] = notices(any_db)
    claimed_at = now + 11 * MINUTE  # a run that started at `now` reaches this notice 11 minutes later

    assert claim(any_db, notice.id, now, claimed_at, "late-run")
    [held] = notices(any_db)
    assert (utc(held.claimed_at), utc(held.claimed_until)) == (claimed_at, claimed_at + LEASE)
    # the next minute's run must not take it over: its lease runs from the claim
    assert not claim(any_db, notice.id, now + 12 * MINUTE, now + 12 * MINUTE, "next-run")
    assert claim(any_db, notice.id, now + 14 * MINUTE, claimed_at + LEASE + timedelta(seconds=1), "next-run")


def test_the_heartbeat_renews_the_claim_being_sent_so_a_slow_send_keeps_it(any_db, now):
    user = add_user(any_db, channels=[("webhook", "http://127.0.0.1:9/")])
    warn_cases(any_db, user, now, 1)
    [notice] = notices(any_db)
    with any_db.write() as s:
        assert leases.acquire(s, "deliver-notices", "slow-run", now, LEASE)
    assert claim(any_db, notice.id, now, now, "slow-run-claim")
    heartbeat = Heartbeat(any_db, "slow-run", lambda: now + 5 * MINUTE, DEFAULT_POLICY)
    heartbeat.sending = (notice.id, "slow-run-claim")

    heartbeat.beat()  # five minutes into a slow send

    assert utc(notices(any_db)[0].claimed_until) == now + 5 * MINUTE + LEASE
    assert not heartbeat.lost
    assert not claim(any_db, notice.id, now + 6 * MINUTE, now + 6 * MINUTE, "another-run")


def test_a_claim_held_by_another_run_is_left_alone(any_db, now):
    with HttpSink() as sink:
        user = add_user(any_db, channels=[("webhook", sink.url)])
        warn_cases(any_db, user, now, 1)
        [notice] = notices(any_db)
        with any_db.write() as s:  # another run holds the notice under its own, unexpired claim
            s.exec(update(Notice).where(Notice.id == notice.id).values(
                state="sending", claimed_at=now, claimed_until=now + LEASE, claim_token="theirs"))

        assert deliver_due(any_db, now + MINUTE) == {}
    assert sink.requests == [] and notices(any_db)[0].claim_token == "theirs"


def test_an_outcome_is_recorded_only_while_our_claim_token_holds(any_db, now):
    user = add_user(any_db, channels=[("webhook", "http://127.0.0.1:9/")])
    warn_cases(any_db, user, now, 1)
    [notice] = notices(any_db)
    assert claim(any_db, notice.id, now, now, "ours")
    with any_db.write() as s:  # we hung past the lease; another run took the notice over
        s.exec(update(Notice).where(Notice.id == notice.id).values(claim_token="theirs"))

    with any_db.write() as s:
        assert dispatch.record(s, notice.id, "ours", dispatch.Delivery([dispatch.Result(None, True)]), now) == "claim_lost"
    [after] = notices(any_db)
    assert (after.state, after.claim_token, after.attempts) == ("sending", "theirs", 0)


# --- idempotency keys -------------------------------------------------------------------------

def test_a_retried_webhook_send_carries_the_same_idempotency_key(any_db, now):
    with HttpSink(fail_first=1) as sink:
        user = add_user(any_db, channels=[("webhook", f"{sink.url}/hook?token=abc")])
        warn_cases(any_db, user, now, 1)

        assert deliver_due(any_db, now) == {"pending": 1}
        assert deliver_due(any_db, now + MINUTE) == {"sent": 1}

    [notice] = notices(any_db)
    first, second = sink.requests
    assert (first["status"], second["status"]) == (500, 200)
    assert first["headers"][KEY_HEADER] == second["headers"][KEY_HEADER] == key_of(any_db, notice.id)
    assert uuid.UUID(first["headers"][KEY_HEADER]).version == 5
    assert second["path"] == "/hook?token=abc"


def test_each_notice_has_its_own_key(any_db, now):
    with HttpSink() as sink:
        user = add_user(any_db, channels=[("webhook", sink.url)])
        warn_cases(any_db, user, now, 3)
        deliver_due(any_db, now)
    assert len({r["headers"][KEY_HEADER] for r in sink.requests}) == 3


def test_an_email_sent_again_after_a_lost_record_has_the_same_message_id(db, now, monkeypatch):
    with SmtpSink() as smtp:
        monkeypatch.setenv("COURTFLOW_SMTP_URL", smtp.apprise_url)
        user = add_user(db, channels=[("email", "judge@court.cn")])
        warn_cases(db, user, now, 1)
        [notice] = notices(db)
        assert deliver_due(db, now) == {"sent": 1}
        with db.write() as s:  # as if the run had been killed between the send and its record
            s.exec(update(Notice).where(Notice.id == notice.id).values(
                state="sending", claimed_until=now, claim_token="killed"))
        assert deliver_due(db, now + LEASE + MINUTE) == {"sent": 1}

    first, again = smtp.messages
    key = key_of(db, notice.id)
    assert first.get_all("Message-ID") == again.get_all("Message-ID") == [f"<{key}@courtflow>"]
    assert first[KEY_HEADER] == again[KEY_HEADER] == key


def test_a_slow_receiver_is_given_30_seconds_before_the_send_counts_as_failed():
    url = with_key("json://127.0.0.1:8080/hook?-token=abc", "k")
    plugin = apprise.Apprise.instantiate(url)
    assert plugin.socket_read_timeout == 30.0  # Apprise's default of 4 s re-sent notices to slow receivers
    assert plugin.headers == {KEY_HEADER: "k"}
    assert "-token=abc" in url
