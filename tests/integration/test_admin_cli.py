"""The administration commands: `courtflow people` prints a one-time link, never a password;
`courtflow policy what-if FILE --court CODE --months 12` replays without writing; a bad key fails naming it."""
from sqlmodel import func, select

import cli.people as people_cli
import cli.policy as policy_cli
from store.models import Invitation, Notice, PolicyOverrideVersion, TraceEntry, User
from tests.case_helpers import designate, file
from tests.factories import small_world


def _count(db, model) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_people_invite_prints_a_link_and_traces(any_db, monkeypatch, capsys):
    small_world(any_db)
    monkeypatch.setattr(people_cli, "database", lambda: any_db)
    assert people_cli.people_command(["invite", "new_clerk", "--court", "辽0102", "--name", "新书记员",
                                      "--division", "hp_civil", "--role", "clerk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("new_clerk: /invitation/")
    with any_db.read() as s:
        user = s.exec(select(User).where(User.username == "new_clerk")).one()
        assert user.password_hash == "" and _count(any_db, Invitation) == 1
        actions = s.exec(select(TraceEntry.action).where(TraceEntry.subject_id == user.id,
                                                         TraceEntry.subject_kind == "users")).all()
        assert actions == ["user.create", "role.grant", "password.invite_link"]
    assert people_cli.people_command(["grant", "new_clerk", "--role", "wizard", "--court", "辽0102"]) == 2


def test_policy_what_if_from_the_command_line(any_db, monkeypatch, capsys, tmp_path):
    world = small_world(any_db)
    case_id = file(any_db, world, number="（2024）辽0102民初1号", filed="2024-05-06")
    designate(any_db, world, case_id, day="2024-05-07")
    monkeypatch.setattr(policy_cli, "database", lambda: any_db)
    override = tmp_path / "monitoring.yaml"
    override.write_text("warnings:\n  days_before: [20, 10, 5]\n", encoding="utf-8")
    notices = _count(any_db, Notice)
    assert policy_cli.policy_command(["what-if", str(override), "--court", "辽0102", "--months", "12",
                                      "--as-of", "2025-03-03"]) == 0
    out = capsys.readouterr().out
    assert "warnings.days_before: [30, 15, 7, 3] -> [20, 10, 5]" in out
    assert "  warnings: 4 -> 3 (+3 / -4)" in out and "judge_a: 4 -> 3" in out
    assert _count(any_db, Notice) == notices and _count(any_db, PolicyOverrideVersion) == 0
    override.write_text("warnings:\n  days_befor: [20]\n", encoding="utf-8")
    assert policy_cli.policy_command(["check", str(override), "--court", "辽0102"]) == 2
    assert "warnings.days_befor" in capsys.readouterr().err


def test_policy_for_one_division_from_the_command_line(any_db, monkeypatch, capsys, tmp_path):
    small_world(any_db)
    monkeypatch.setattr(policy_cli, "database", lambda: any_db)
    override = tmp_path / "assignment.yaml"
    override.write_text("reassignment:\n  reasons:\n    回避: vice_president\n", encoding="utf-8")
    assert policy_cli.policy_command(["what-if", str(override), "--court", "辽0102", "--division", "hp_civil",
                                      "--as-of", "2025-03-03"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("what-if assignment at 辽0102 hp_civil") and "回避: \"division_chief\" -> \"vice_president\"" in out
    assert policy_cli.policy_command(["save", str(override), "--court", "辽0102", "--division", "hp_civil",
                                      "--from", "2099-01-01", "--why", "民庭试行"]) == 0
    assert "saved assignment v1 for 辽0102 hp_civil" in capsys.readouterr().out
    with any_db.read() as s:
        version = s.exec(select(PolicyOverrideVersion)).one()
    assert version.division_id is not None and version.why == "民庭试行"
    assert policy_cli.policy_command(["check", str(override), "--court", "辽0102", "--division", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_policy_what_if_of_a_divisions_warning_days_from_the_command_line(any_db, monkeypatch, capsys, tmp_path):
    """Only the civil division's case is replayed: the criminal division's judge is not in the what-if."""
    from tests.integration.test_policy_overrides import _case_in_each_division

    world = small_world(any_db)
    _case_in_each_division(any_db, world, "2024-05-06", "2024-05-07")
    monkeypatch.setattr(policy_cli, "database", lambda: any_db)
    override = tmp_path / "monitoring.yaml"
    override.write_text("warnings:\n  days_before: [20, 10, 5]\n", encoding="utf-8")
    assert policy_cli.policy_command(["what-if", str(override), "--court", "辽0102", "--division", "hp_civil",
                                      "--months", "12", "--as-of", "2025-03-03"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("what-if monitoring at 辽0102 hp_civil")
    assert "  warnings: 4 -> 3 (+3 / -4)" in out and "judge_a: 4 -> 3" in out and "judge_x" not in out
    assert _count(any_db, PolicyOverrideVersion) == 0
