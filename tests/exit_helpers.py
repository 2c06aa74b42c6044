"""Quota-exit tests: the people of a proceeding, evidence files, and acting with the clock passed explicitly."""
import base64
from sqlmodel import select

from services.quota_exit.proceedings import open_exit_proceeding
from store.models import ExitProceeding, ExitSubmission, ExitWindow, Notice, TraceEntry
from tests.case_helpers import act, actor, at, designate, file
from tests.factories import add_user, small_world

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def evidence(filename: str, data: bytes, content_type: str = "", description: str = "") -> dict:
    return {"filename": filename, "content_type": content_type, "content_base64": b64(data),
            "description": description}


def exit_world(db):
    """small_world plus personnel and two committee members of the basic court, and a committee member above it."""
    world = small_world(db)
    with db.write() as s:
        add_user(s, world, "hr", "hp", ["personnel"])
        add_user(s, world, "committee_a", "hp", ["committee"])
        add_user(s, world, "committee_b", "hp", ["committee"])
        add_user(s, world, "mid_committee", "mid", ["committee"])
    return world


def open_for(db, world, judge="judge_a", day="2025-03-03", source=None) -> int:
    """What the assessment ladder does: open a mandatory exit for assessment failure (contract C2)."""
    with db.write() as s:
        return open_exit_proceeding(s, judge_id=world.users[judge].id, ground="assessment_failure",
                                    grounds_text="2023、2024年度连续两年未完成办案任务", opened_by=actor(db, "hr"),
                                    now=at(day), source=source or f"ladder:2024:judge:{world.users[judge].id}")


def pending_cases(db, world, n=2, judge="judge_a") -> list[int]:
    ids = []
    for i in range(n):
        case_id = file(db, world, number=f"（2025）辽0102民初{i + 1}号")
        designate(db, world, case_id, judge=judge)
        ids.append(case_id)
    return ids


def proceeding(db, pid) -> ExitProceeding:
    with db.read() as s:
        return s.get(ExitProceeding, pid)


def windows(db, pid) -> dict[str, ExitWindow]:
    with db.read() as s:
        return {w.kind: w for w in s.exec(select(ExitWindow).where(ExitWindow.proceeding_id == pid)).all()}


def submissions(db, pid) -> list[ExitSubmission]:
    with db.read() as s:
        return list(s.exec(select(ExitSubmission).where(ExitSubmission.proceeding_id == pid)
                           .order_by(ExitSubmission.id)).all())


def notice_kinds(db, prefix="exit_") -> list[tuple[str, int]]:
    with db.read() as s:
        return [(n.kind, n.recipient_user_id) for n in s.exec(select(Notice).order_by(Notice.id)).all()
                if n.kind.startswith(prefix)]


def traced(db, action: str) -> list[TraceEntry]:
    with db.read() as s:
        return list(s.exec(select(TraceEntry).where(TraceEntry.action == action).order_by(TraceEntry.seq)).all())


def fire(db, who, pid, event, payload=None, day="2025-03-03", **kw):
    return act(db, who, "exit_proceedings", pid, event, payload or {}, day, **kw)


def through_statement(db, world, day0="2025-03-03") -> int:
    """Opened, notified and acknowledged: the statement period runs 2025-03-04 → 2025-03-14."""
    pid = open_for(db, world, day=day0)
    fire(db, "hr", pid, "notify", day="2025-03-03")
    fire(db, "judge_a", pid, "acknowledge", day="2025-03-04")
    return pid

