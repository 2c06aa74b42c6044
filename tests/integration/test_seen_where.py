"""Who may open a subject is said twice by each kind: `seen_by` in Python for the row on its page, `seen_where` in SQL
for many rows at once (the process map counts and lists by it). Over the demo province, plus rows on the boundary of
each rule, both select exactly the same subjects for every reader: the high court's trial office reaching down, the
officials, chief, judge and assistant of a basic court, the court above it, a person named in a petition, a reader
with no role left, odd grants (a committee of one division, a grant reaching down from one division), the system.
A variant kind's machines are told apart the same way both ways."""
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from services.demo.seed import seed_demo
from services.kernel.access import court_path
from services.kernel.actor import Actor, Grant, actor_by_id
from services.kernel.registry import current
from store.models import Court, ExtensionRequest, InterferenceReport, Petition, Task, User
from tests.conftest import module_database

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
USERS = ("ln_trial_office", "ln_committee", "sy_president", "hp_president", "hp_personnel", "hp_committee",
         "hp_chief_civil1", "hp_judge01", "hp_assistant01", "hp_judge06")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request, tmp_path_factory):
    """The demo province with rows on the boundary of the rules, seeded once per module and database."""
    db = module_database(request, tmp_path_factory, "seen_where")
    seed_demo(db, NOW)
    with db.write() as s:
        _boundary(s)
    yield db
    db.dispose()


def _boundary(s) -> None:
    """A judge's task at a court where the judge has no role; a conduct petition naming a division chief, and a task
    about it at the chief's division; the judge's interference report filed at the court above; an extension of a
    case of the judge's court asked of the court above."""
    user = {u.username: u for u in s.exec(select(User).where(User.username.in_(["hp_chief_civil1", "hp_judge01"])))}
    chief, judge = user["hp_chief_civil1"], user["hp_judge01"]
    court_above = s.exec(select(Court.id).where(Court.code == "辽01")).one()
    petition = _copy(s, s.exec(select(Petition).where(Petition.named_user_id.is_not(None))).first(),
                     named_user_id=chief.id, court_id=chief.court_id, division_id=chief.division_id)
    task = s.exec(select(Task).where(Task.subject_kind == "cases")).first()
    _copy(s, task, court_id=court_above, division_id=None, assignee_user_id=judge.id, dedupe_key=None)
    _copy(s, task, subject_kind="petitions", subject_id=petition.id, court_id=chief.court_id,
          division_id=chief.division_id, assignee_user_id=None, dedupe_key=None)
    _copy(s, s.exec(select(InterferenceReport)).first(), judge_id=judge.id, court_id=court_above, month="2024-12")
    _copy(s, s.exec(select(ExtensionRequest).where(ExtensionRequest.court_id == judge.court_id)).first(),
          approver_court_id=court_above, state="refused")


def _copy(s, row, **changes):
    data = {k: v for k, v in row.model_dump().items() if k != "id"} | changes
    copy = type(row)(**data)
    s.add(copy)
    s.flush()
    return copy


def readers(s) -> list[Actor]:
    """The demo's readers, and the odd ones built from their grants."""
    found = [actor_by_id(s, s.exec(select(User.id).where(User.username == name)).one()) for name in USERS]
    judge, trial_office = found[USERS.index("hp_judge01")], found[USERS.index("ln_trial_office")]
    division = next(g for g in judge.grants).division_id
    above = next(g for g in found[USERS.index("sy_president")].grants)
    return found + [
        Actor(judge.user_id, "no_role_left", grants=()),
        Actor(judge.user_id, "committee_of_one_division",
              grants=(Grant("committee", judge.grants[0].court_id, judge.grants[0].court_path, division, False),)),
        Actor(trial_office.user_id, "down_from_a_division",
              grants=(Grant("personnel", above.court_id, above.court_path, division, True),)),
        Actor.system(),
    ]


@pytest.mark.parametrize("kind_name", list(current().subjects))
def test_a_kinds_rule_in_sql_selects_exactly_the_subjects_its_rule_in_python_opens(demo, kind_name):
    kind = current().subjects[kind_name]
    with demo.read() as s:
        rows = s.exec(select(kind.model)).all()
        assert rows or not kind.sees_where, kind_name  # a rule of its own is tried on rows
        for actor in readers(s):
            python = {r.id for r in rows if kind.seen_by(s, actor, r, lambda c: court_path(s, c))}
            sql = set(s.exec(select(kind.model.id).where(kind.seen_where(s, actor))).all())
            assert sql == python, (kind_name, actor.username, sorted(sql ^ python))


def test_a_variant_kinds_machines_are_told_apart_in_sql_as_in_python(demo):
    for name, kind in current().subjects.items():
        if not kind.variants:
            continue
        with demo.read() as s:
            rows = s.exec(select(kind.model)).all()
            for machine in kind.variants:
                python = {r.id for r in rows if kind.machine_class(r) is machine}
                assert set(s.exec(select(kind.model.id).where(kind.variant_where(machine))).all()) == python
        assert len({kind.machine_class(r) for r in rows}) == len(kind.variants), name  # the demo has each
