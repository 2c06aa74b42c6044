"""The guards of the due process (SPEC §6), each refusing, traced, changing nothing; windows by policy;
the judge's submissions in the committee's file; two committee members deciding at once."""
import re
import threading
from datetime import date

import pytest
from sqlmodel import select

from services.kernel.errors import Conflict, Refused
from services.kernel.engine import view
from store.models import ExitDocument, PolicyOverride, Task, User
from tests.case_helpers import actor, at
from tests.exit_helpers import (exit_world, fire, proceeding, submissions, through_statement,
                                traced, windows)


@pytest.fixture
def world(any_db):
    return exit_world(any_db)


def refused(db, who, pid, event, payload=None, day="2025-03-03", match=""):
    """Fire, expect a refusal with `match`, and check it was traced and nothing changed."""
    before = proceeding(db, pid)
    with pytest.raises(Refused, match=re.escape(match)):
        fire(db, who, pid, event, payload, day)
    after = proceeding(db, pid)
    assert (after.state, after.version) == (before.state, before.version)
    assert match in traced(db, f"refused:exit_proceedings.{event}")[-1].why



def reviewed(db, world) -> int:
    pid = through_statement(db, world)
    fire(db, "judge_a", pid, "file_statement", {"text": "本人不同意退出员额。"}, "2025-03-06")
    fire(db, "committee_a", pid, "start_review", day="2025-03-15")
    return pid


def test_the_review_cannot_start_before_the_statement_period_ends(any_db, world):
    pid = through_statement(any_db, world)
    refused(any_db, "committee_a", pid, "start_review", day="2025-03-14",
            match="the committee review cannot start before the statement period ends (2025-03-14)")
    assert fire(any_db, "committee_a", pid, "start_review", day="2025-03-15")["state"] == "committee_review"


def test_a_waiver_lets_the_review_start_at_once_and_ends_the_judges_filings(any_db, world):
    pid = through_statement(any_db, world)
    fire(any_db, "judge_a", pid, "waive", {"reason": "对考核结果无异议"}, "2025-03-05")
    refused(any_db, "judge_a", pid, "file_statement", {"text": "补充意见"}, "2025-03-06",
            match="the judge waived the statement period on 2025-03-05")
    assert windows(any_db, pid)["statement"].state == "waived"
    with any_db.read() as s:
        assert s.exec(select(Task).where(Task.kind == "exit_start_review", Task.state == "open")).one()
    assert fire(any_db, "committee_a", pid, "start_review", day="2025-03-06")["state"] == "committee_review"


def test_no_decision_while_a_submission_of_the_judge_is_not_attached(any_db, world):
    pid = reviewed(any_db, world)
    fire(any_db, "judge_a", pid, "file_statement", {"text": "补充说明：2024年下半年病休两个月。"}, "2025-03-17")
    late = submissions(any_db, pid)[-1]
    assert late.late and late.attached_on is None
    decide = {"outcome": "exit", "reason": "考核不合格"}
    refused(any_db, "committee_a", pid, "decide", decide, "2025-03-18",
            match="no decision without the judge's submissions: 1 submission(s)")
    fire(any_db, "committee_a", pid, "attach_submissions", day="2025-03-18")
    assert fire(any_db, "committee_a", pid, "decide", decide, "2025-03-18")["state"] == "decided"


def test_no_decision_before_the_hearing_the_judge_asked_for(any_db, world):
    pid = through_statement(any_db, world)
    fire(any_db, "judge_a", pid, "ask_hearing", {"reason": "请求当面陈述"}, "2025-03-05")
    fire(any_db, "committee_a", pid, "start_review", day="2025-03-15")
    decide = {"outcome": "no_exit", "reason": "陈述理由成立"}
    refused(any_db, "committee_a", pid, "decide", decide, "2025-03-18", match="the judge asked for a hearing")
    fire(any_db, "committee_a", pid, "record_hearing", {"held_on": "2025-03-19", "minutes": "法官当面陈述意见。"},
         "2025-03-19")
    assert fire(any_db, "committee_a", pid, "decide", decide, "2025-03-20")["state"] == "decided"
    assert fire(any_db, "hr", pid, "serve_decision", day="2025-03-21")["state"] == "dismissed"


def test_a_reconsideration_harsher_than_the_decision_is_refused(any_db, world):
    pid = reviewed(any_db, world)
    fire(any_db, "committee_a", pid, "decide", {"outcome": "observation", "reason": "设观察期", "observation_months": 3},
         "2025-03-18")
    fire(any_db, "hr", pid, "serve_decision", day="2025-03-19")
    fire(any_db, "judge_a", pid, "apply_reconsideration", {"reason": "不应设观察期"}, "2025-03-20")
    refused(any_db, "committee_b", pid, "decide_reconsideration", {"outcome": "exit", "reason": "加重"}, "2025-03-25",
            match="the outcome cannot be harsher than the decision under review (observation, 3 months)")
    refused(any_db, "committee_b", pid, "decide_reconsideration",
            {"outcome": "observation", "observation_months": 6, "reason": "延长观察期"}, "2025-03-25",
            match="the outcome cannot be harsher")
    fire(any_db, "committee_b", pid, "decide_reconsideration", {"outcome": "no_exit", "reason": "撤销观察期"},
         "2025-03-25")
    assert fire(any_db, "hr", pid, "finalize", day="2025-03-26")["state"] == "dismissed"


def test_an_exit_lowered_on_reconsideration_puts_the_judge_back_in_the_quota(any_db, world):
    pid = reviewed(any_db, world)
    fire(any_db, "committee_a", pid, "decide", {"outcome": "exit", "reason": "考核不合格"}, "2025-03-18")
    fire(any_db, "hr", pid, "serve_decision", day="2025-03-19")
    fire(any_db, "judge_a", pid, "apply_reconsideration", {"reason": "事实不清"}, "2025-03-20")
    fire(any_db, "committee_b", pid, "decide_reconsideration", {"outcome": "no_exit", "reason": "工作量统计有误"},
         "2025-03-28")
    p = proceeding(any_db, pid)
    assert (p.left_quota_on, p.restored_on) == (date(2025, 3, 19), date(2025, 3, 28))
    with any_db.read() as s:
        assert s.get(User, p.judge_id).is_quota_judge is True


def test_applying_for_reconsideration_after_the_window_is_refused_and_the_missed_window_recorded(any_db, world):
    pid = reviewed(any_db, world)
    fire(any_db, "committee_a", pid, "decide", {"outcome": "exit", "reason": "考核不合格"}, "2025-03-18")
    fire(any_db, "hr", pid, "serve_decision", day="2025-03-19")
    assert windows(any_db, pid)["reconsideration_application"].closes_on == date(2025, 3, 26)
    refused(any_db, "judge_a", pid, "apply_reconsideration", {"reason": "迟到的复议申请"}, "2025-03-27",
            match="the time to apply for reconsideration ended on 2025-03-26")
    refused(any_db, "hr", pid, "finalize", day="2025-03-26", match="the judge may still apply for reconsideration")
    assert fire(any_db, "hr", pid, "finalize", day="2025-03-27")["state"] == "effective"
    assert windows(any_db, pid)["reconsideration_application"].state == "missed"
    assert traced(any_db, "exit_proceedings.window_missed")[-1].after["window"] == "reconsideration_application"


def test_windows_follow_the_courts_policy_in_working_days(any_db, world):
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="quota_exit",
                             data={"windows": {"statement": {"length": 10, "days": "working", "party": "judge"}}}))
    pid = through_statement(any_db, world)                   # acknowledged 2025-03-04
    assert windows(any_db, pid)["statement"].closes_on == date(2025, 3, 18)
    assert (windows(any_db, pid)["statement"].days, windows(any_db, pid)["statement"].length) == ("working", 10)


def test_the_judge_acts_only_in_their_own_proceeding_and_officials_only_in_their_court(any_db, world):
    pid = through_statement(any_db, world)
    for who, match in (("judge_b", "not found"), ("chief", "not found")):
        with pytest.raises(Exception, match=match):
            fire(any_db, who, pid, "file_statement", {"text": "代为陈述"}, "2025-03-05")
    only_the_judge = "only the judge whose proceeding this is"
    refused(any_db, "hr", pid, "file_statement", {"text": "代为陈述"}, "2025-03-05", match=only_the_judge)
    refused(any_db, "mid_committee", pid, "waive", {}, "2025-03-05", match=only_the_judge)


def test_two_committee_members_deciding_at_once_give_one_decision_and_one_409(any_db, world):
    pid = reviewed(any_db, world)
    version = proceeding(any_db, pid).version
    barrier, outcomes = threading.Barrier(2), []

    def decide(who, outcome):
        barrier.wait()
        try:
            fire(any_db, who, pid, "decide", {"outcome": outcome, "reason": who}, "2025-03-18",
                 expected_version=version)
            outcomes.append("decided")
        except (Refused, Conflict) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=decide, args=a) for a in (("committee_a", "exit"), ("committee_b", "no_exit"))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) in (["Conflict", "decided"], ["Refused", "decided"])
    with any_db.read() as s:
        assert len(s.exec(select(ExitDocument).where(ExitDocument.kind == "decision")).all()) == 1
    p = proceeding(any_db, pid)
    assert p.decision_reason == {"exit": "committee_a", "no_exit": "committee_b"}[p.decision]
    assert view(any_db, actor(any_db, "hr"), "exit_proceedings", pid, at("2025-03-18"))["state"] == "decided"
