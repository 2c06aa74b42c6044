"""Random assignment is reproducible; designated needs an approver; related cases follow the first."""
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from services.cases.assignment import verify_draws
from services.kernel.errors import Refused
from store.db import Database
from store.models import AssignmentDraw
from store.schema import ensure_schema
from tests.case_helpers import act, case_row, file
from tests.factories import small_world


@pytest.fixture
def world(any_db):
    return small_world(any_db)


def test_a_random_draw_is_stored_and_reruns_to_the_same_judge(any_db, world):
    case_id = file(any_db, world)
    act(any_db, "filing", "cases", case_id, "assign", {"method": "random"})
    with any_db.read() as s:
        (draw, same), *panel = verify_draws(s, case_id)   # then the panel's other two judges (assignment.yaml)
    judges = sorted(world.users[n].id for n in ("judge_a", "judge_b", "judge_c", "chief", "english_judge"))
    assert draw.candidates == judges and same and case_row(any_db, case_id).lead_judge_id == draw.result_judge_id
    assert [(d.method, ok) for d, ok in panel] == [("panel", True), ("panel", True)]


def test_a_filing_clerk_cannot_designate_a_judge(any_db, world):
    case_id = file(any_db, world)
    with pytest.raises(Refused, match="designated assignment is made only by"):
        act(any_db, "filing", "cases", case_id, "assign",
            {"method": "designated", "judge_id": world.users["judge_b"].id, "reason": "熟悉案情"})


def test_a_related_case_goes_to_the_judge_of_the_first(any_db, world):
    first = file(any_db, world)
    act(any_db, "filing", "cases", first, "assign", {"method": "random"})
    second = file(any_db, world, number="（2025）辽0102民初2号", related_case_number="（2025）辽0102民初1号")
    act(any_db, "filing", "cases", second, "assign", {"method": "related"})
    assert case_row(any_db, second).lead_judge_id == case_row(any_db, first).lead_judge_id


def test_courtflow_assignment_verify_detects_a_tampered_draw(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    db = Database(url)
    ensure_schema(db)
    world = small_world(db)
    case_id = file(db, world)
    act(db, "filing", "cases", case_id, "assign", {"method": "random"})
    env = {"COURTFLOW_DATABASE_URL": url, "COURTFLOW_ENVIRONMENT": "test"}
    cmd = [sys.executable, "-m", "cli.main", "assignment", "verify", "（2025）辽0102民初1号"]
    root = str(Path(__file__).parents[2])
    assert subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True).returncode == 0
    with db.read() as s:
        draw = s.exec(select(AssignmentDraw).where(AssignmentDraw.method == "random")).one()
    other = next(c for c in draw.candidates if c != draw.result_judge_id)
    with db.write() as s:
        s.exec(text(f"UPDATE assignmentdraw SET result_judge_id = {other} WHERE id = {draw.id}"))
    out = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True)
    assert out.returncode == 1 and "MISMATCH" in out.stdout
