"""An assessment exit from notice to effect (SPEC §6): notice, statement with evidence, committee
decision, reconsideration upheld, the higher court's window missed, and the exit in effect — with
every notice, document, dossier record and trace entry a court would look for."""
import hashlib
from datetime import date

from sqlmodel import select

from services.kernel.dossier import dossier_entries
from services.kernel.sweeps import run_daily_monitor
from store.evidence import read
from store.models import Case, ExitDocument, ReassignmentRequest, Task, User
from store.trace import verify
from tests.case_helpers import at
from tests.exit_helpers import (PDF, PNG, evidence, exit_world, fire, notice_kinds, open_for,
                                pending_cases, proceeding, submissions, traced, windows)

def monitor(db, day):
    return run_daily_monitor(db, date.fromisoformat(day), at(day)).extra["quota_exit_windows"]


def test_an_assessment_exit_from_notice_to_effect(any_db, evidence_dir):
    db = any_db
    world = exit_world(db)
    judge, chief = world.users["judge_a"].id, world.users["chief"].id
    case_ids = pending_cases(db, world)

    # the ladder opens it (C2), twice with the same source: one proceeding, one task for personnel
    pid = open_for(db, world)
    assert open_for(db, world) == pid
    assert proceeding(db, pid).state == "opened"

    fire(db, "hr", pid, "add_evidence", evidence("2024年度考核结果.pdf", PDF, "application/pdf"), "2025-03-03")
    fire(db, "hr", pid, "notify", day="2025-03-03")
    fire(db, "judge_a", pid, "acknowledge", day="2025-03-04")
    assert windows(db, pid)["statement"].closes_on == date(2025, 3, 14)

    fire(db, "judge_a", pid, "file_statement", {"text": "2024年本人承办重大案件多件，工作量未被完整计入。"}, "2025-03-06")
    fire(db, "judge_a", pid, "add_evidence", evidence("办案量统计.png", PNG, "image/png", "全年办案量截图"), "2025-03-06")
    assert monitor(db, "2025-03-11") == 1                       # the reminder, 3 days before the period ends
    assert monitor(db, "2025-03-11") == 0
    assert monitor(db, "2025-03-15") == 1                       # the period ended (not missed: she filed)
    assert windows(db, pid)["statement"].state == "closed"

    fire(db, "committee_a", pid, "start_review", day="2025-03-17")
    assert all(s.attached_on == date(2025, 3, 17) for s in submissions(db, pid) if s.party == "judge")
    fire(db, "committee_a", pid, "decide", {"outcome": "exit", "reason": "连续两年未完成办案任务，陈述理由不成立"},
         "2025-03-20")
    fire(db, "hr", pid, "serve_decision", day="2025-03-21")

    # not stayed (SPEC §6): the judge leaves the quota the day the decision is served
    with db.read() as s:
        assert s.get(User, judge).is_quota_judge is False
        requests = s.exec(select(ReassignmentRequest).order_by(ReassignmentRequest.case_id)).all()
        approvals = s.exec(select(Task).where(Task.kind == "approve_reassignment")).all()
    assert [r.case_id for r in requests] == case_ids and all(r.from_judge_id == judge for r in requests)
    assert len(approvals) == 2 and {t.assignee_role for t in approvals} == {"division_chief"}
    assert proceeding(db, pid).left_quota_on == date(2025, 3, 21)

    fire(db, "judge_a", pid, "apply_reconsideration", {"reason": "决定认定事实不清"}, "2025-03-25")
    fire(db, "committee_b", pid, "decide_reconsideration", {"outcome": "exit", "reason": "维持原决定"}, "2025-04-10")
    assert windows(db, pid)["higher_review_application"].closes_on == date(2025, 4, 25)
    assert monitor(db, "2025-04-26") == 1                       # the 15 days passed without an application
    assert windows(db, pid)["higher_review_application"].state == "missed"
    done = fire(db, "hr", pid, "finalize", day="2025-04-28")
    assert done["state"] == "effective" and done["standing_outcome"] == "exit"

    # every notice, once each
    kinds = notice_kinds(db)
    assert ("exit_opened", world.users["hr"].id) in kinds
    for kind in ("exit_notice", "exit_window_opened", "exit_window_reminder", "exit_effective"):
        assert (kind, judge) in kinds, kind
    assert ("exit_effective", chief) in kinds
    assert [k for k in kinds if k[0] == "exit_decision"] == [("exit_decision", judge)] * 2
    assert len([k for k in kinds if k == ("exit_window_missed", world.users["hr"].id)]) == 2
    assert {("exit_judge_filed", world.users[u].id) for u in ("hr", "committee_a", "committee_b")} <= set(kinds)
    assert kinds.count(("exit_window_reminder", judge)) == kinds.count(("exit_effective", judge)) == 1

    # the three formal documents, kept with their hash in the trace
    with db.read() as s:
        documents = s.exec(select(ExitDocument).order_by(ExitDocument.id)).all()
    assert [d.kind for d in documents] == ["notice", "decision", "reconsideration_decision"]
    recorded = {e.after["document_id"]: e.after["sha256"] for e in traced(db, "exit_proceedings.document")}
    for d in documents:
        assert hashlib.sha256(d.html.encode()).hexdigest() == d.sha256 == recorded[d.id]
    assert "2024年度考核结果.pdf" in documents[0].html and "办案量统计.png" in documents[1].html
    assert "维持原决定" in documents[2].html

    # the evidence files, with their checksums
    files = [s for s in submissions(db, pid) if s.sha256]
    assert [(f.party, f.filename) for f in files] == [("personnel", "2024年度考核结果.pdf"), ("judge", "办案量统计.png")]
    assert read(files[1].storage_key, files[1].sha256) == PNG

    # the dossier, and an intact trace
    with db.read() as s:
        titles = [e.title for e in dossier_entries(s, judge, 2025) if e.kind == "quota_exit"]
        assert verify(s).ok
        assert all(c.lead_judge_id == judge for c in s.exec(select(Case)).all())  # until the chief approves
    assert titles[0] == "员额退出：考核不合格" and "退出员额，2件未结案件提请变更承办法官" in titles
    assert any("复核申请期" in t for t in titles) and titles[-1] == "员额退出程序终结：退出员额"
