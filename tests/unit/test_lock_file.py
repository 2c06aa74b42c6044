"""requirements.lock is what every machine installs: it must satisfy pyproject.toml exactly."""
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+(?:\[[^\]]*\])?)==([^\s\\;]+)")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match.group(1).split("[")[0])] = match.group(2)
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(r) for r in declared]


def test_every_declared_requirement_is_pinned_within_its_bounds():
    pins = _pins()
    wrong = []
    for req in _requirements():
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            wrong.append(f"{req.name}: declared in pyproject.toml, missing from requirements.lock")
        elif not req.specifier.contains(version, prereleases=True):
            wrong.append(f"{req.name}=={version} in requirements.lock is outside pyproject.toml's {req.specifier}")
    assert not wrong, "regenerate requirements.lock (see scripts/setup):\n" + "\n".join(wrong)


def test_every_lock_line_carries_a_hash():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    unhashed = [e.split("==")[0] for e in entries if "==" in e and "--hash=sha256:" not in e]
    assert not unhashed, f"pins without hashes: {unhashed}"


def test_the_stack_stays_below_the_versions_that_break_it():
    pins = _pins()
    assert pins["sqlalchemy"].startswith("2.0."), "Prefect 3.8's scheduler needs SQLAlchemy 2.0"
    assert pins["prefect"].startswith("3.8."), "courtflow is tested with Prefect 3.8"
