"""docs/machines/ holds one generated diagram per machine, and each is what the machine draws today."""
import importlib
import inspect
import pkgutil

import statemachines
from statemachine import StateMachine
from statemachines.diagrams import DOCS, MACHINES, REFRESH, render_all


def _machines_in_the_package() -> set[type[StateMachine]]:
    found = set()
    for module in pkgutil.iter_modules(statemachines.__path__):
        loaded = importlib.import_module(f"statemachines.{module.name}")
        found |= {cls for _, cls in inspect.getmembers(loaded, inspect.isclass)
                  if issubclass(cls, StateMachine) and cls.__module__ == loaded.__name__}
    return found


def test_every_machine_of_the_package_has_a_page():
    registered = {machine for machine, _, _ in MACHINES.values()}
    missing = sorted(m.__name__ for m in _machines_in_the_package() - registered)
    assert not missing, f"add {missing} to MACHINES in statemachines/diagrams.py, then run `{REFRESH}`"
    assert len(registered) == len(MACHINES) == 17


def test_every_diagram_in_docs_is_present_and_fresh():
    for filename, text in render_all().items():
        page = DOCS / filename
        assert page.exists(), f"docs/machines/{filename} is missing: run `{REFRESH}`"
        assert page.read_text(encoding="utf-8") == text, f"docs/machines/{filename} is stale: run `{REFRESH}`"


def test_every_page_in_docs_belongs_to_a_machine():
    orphans = ", ".join(f"docs/machines/{p.name}" for p in sorted(DOCS.iterdir()) if p.name not in render_all())
    assert not orphans, f"{orphans} belong to no machine: delete them, or register the machine in MACHINES"


def test_a_page_names_its_lifecycle_in_both_languages_and_draws_with_mermaid():
    page = render_all()["case.md"]
    assert page.startswith("# 案件生命周期 · Case lifecycle\n")
    assert "```mermaid\nstateDiagram-v2\n" in page and "in_trial --> decided : Decide" in page
    assert "- `deliberate` in `in_trial` (validators: `no_similar_case_search_outstanding`)" in page
