"""`courtflow deadline`: output, JSON fields and exit code 2 on bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.deadline import deadline_command

ROOT = Path(__file__).resolve().parents[2]


def run_json(capsys, *argv):
    assert deadline_command([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_holds_the_deadline_and_how_it_was_reached(capsys):
    out = run_json(capsys, "--procedure", "civil-first-ordinary", "--filed", "2025-04-01")
    assert out["deadline"] == "2025-10-09"  # 10-01 is National Day; 10-09 the first working day
    assert out["unrolled_deadline"] == "2025-10-01"
    assert out["rolled_forward"] is True
    assert out["calendar_complete"] is True
    assert (out["procedure"], out["filed"], out["limit"]) == ("civil-first-ordinary", "2025-04-01", "6m")
    assert (out["extensions"], out["excluded_days"]) == ([], 0)


def test_extensions_and_repeated_exclusions(capsys):
    # 2025-01-15 +30d +30d = 03-16; + 10 + 2 excluded days (overlap counted once) = 03-28 (Fri).
    out = run_json(capsys, "--procedure", "civil-special", "--filed", "2025-01-15",
                   "--extend", "30d", "--exclude", "2025-01-20:2025-01-29",
                   "--exclude", "2025-01-28:2025-01-31")
    assert out["extensions"] == ["30d"]
    assert out["excluded_days"] == 12
    assert out["deadline"] == "2025-03-28"
    assert out["excluded_periods"][1] == {"start": "2025-01-28", "end": "2025-01-31"}


def test_variant_selects_the_longer_limit(capsys):
    # 2025-03-03 + 45 days = 04-17 (Thu); without the variant +20d = 03-23 (Sun) -> 03-24.
    out = run_json(capsys, "--procedure", "criminal-first-simplified", "--filed", "2025-03-03",
                   "--variant", "long_sentence")
    assert (out["limit"], out["deadline"]) == ("45d", "2025-04-17")
    out = run_json(capsys, "--procedure", "criminal-first-simplified", "--filed", "2025-03-03")
    assert (out["limit"], out["deadline"]) == ("20d", "2025-03-24")


def test_foreign_civil_has_no_deadline(capsys):
    out = run_json(capsys, "--procedure", "foreign-civil", "--filed", "2025-01-15")
    assert (out["limit"], out["deadline"], out["unrolled_deadline"]) == (None, None, None)


def test_unknown_year_is_flagged_in_json_and_text(capsys):
    out = run_json(capsys, "--procedure", "civil-first-ordinary", "--filed", "2026-07-02")
    assert (out["deadline"], out["calendar_complete"]) == ("2027-01-04", False)
    assert deadline_command(["--procedure", "civil-first-ordinary", "--filed", "2026-07-02"]) == 0
    assert "weekends only" in capsys.readouterr().out


def test_calendar_file_with_2027_data_completes_it(capsys, tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("years:\n  2027:\n    holidays: [2027-01-01]\n")
    out = run_json(capsys, "--procedure", "civil-first-ordinary", "--filed", "2026-07-01",
                   "--calendar", str(path))
    assert (out["deadline"], out["calendar_complete"]) == ("2027-01-04", True)


def test_human_output_is_a_short_summary(capsys):
    assert deadline_command(["--procedure", "civil-first-ordinary", "--filed", "2025-03-13"]) == 0
    text = capsys.readouterr().out
    assert "2025-09-15 (Mon), rolled forward from 2025-09-13" in text
    assert "民事一审普通程序" in text and len(text.splitlines()) <= 8


@pytest.mark.parametrize("argv, named", [
    (["--procedure", "civil-nope", "--filed", "2025-01-01"], "'civil-nope'"),
    (["--procedure", "civil-special", "--filed", "2025-02-30"], "'2025-02-30'"),
    (["--procedure", "civil-special", "--filed", "2025/01/01"], "'2025/01/01'"),
    (["--procedure", "civil-special", "--filed", "2025-01-01",
      "--exclude", "2025-03-10:2025-03-01"], "2025-03-10:2025-03-01"),
    (["--procedure", "civil-special", "--filed", "2025-01-01", "--exclude", "2025-03-10"],
     "'2025-03-10'"),
    (["--procedure", "civil-special", "--filed", "2025-01-01", "--extend", "6y"], "'6y'"),
    (["--procedure", "civil-special", "--filed", "2025-01-01", "--variant", "long"], "'long'"),
    (["--procedure", "civil-appeal-ruling", "--filed", "2025-01-01", "--extend", "30d"],
     "allows no extensions"),
    (["--procedure", "foreign-civil", "--filed", "2025-01-01", "--extend", "6m"],
     "allows no extensions"),
    (["--filed", "2025-01-01"], "--procedure"),
])
def test_bad_input_exits_2_with_one_line_naming_it(capsys, argv, named):
    assert deadline_command(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and named in captured.err
    assert captured.err.startswith("courtflow deadline: error: ")


def test_broken_policy_file_exits_1(capsys, tmp_path):
    path = tmp_path / "time_limits.yaml"
    path.write_text("procedures: {}\n")
    argv = ["--procedure", "civil-special", "--filed", "2025-01-01", "--time-limits", str(path)]
    assert deadline_command(argv) == 1
    assert "extension_request: Field required" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert deadline_command(["--help"]) == 0
    assert "courtflow deadline" in capsys.readouterr().out


def run_module(*argv):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "cli.deadline", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_runs_as_a_module():
    done = run_module("--procedure", "civil-first-ordinary", "--filed", "2025-03-13", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deadline"] == "2025-09-15"


def test_module_exit_code_2_for_a_bad_date():
    done = run_module("--procedure", "civil-first-ordinary", "--filed", "2025-02-30")
    assert done.returncode == 2
    assert "'2025-02-30'" in done.stderr
