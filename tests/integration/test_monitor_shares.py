"""The daily-monitor flow shares the day among task runs (each policy sweep over slices of the courts, each in
its own transaction); what it writes must be what one transaction (`run_daily_monitor`) writes, row for row."""
import shutil
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect as schema_of, text

from flows.daily_monitor import daily_monitor
from services.demo.seed import seed_demo
from services.kernel.sweeps import monitor_shares, run_daily_monitor
from store.db import Database
from tests.integration.test_seed import fresh_sqlite

SEEDED = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
AS_OF = date(2025, 4, 14)  # six weeks on: warnings, overdue notices, long-pending tasks, the chase's escalations
LEFT_OUT = {"flow_run", "policy_stamp"}  # the flow writes its own run; the service call has none; a stamp is random
NEW_ROW_IDS = {"id"}


def rows(db) -> dict[str, list[tuple]]:
    """Every table's rows without their surrogate ids, sorted: what the court would see. A dossier entry of a lapse
    the day recorded names the lapse by its own key: the shares number the day's lapses in the order they run."""
    found = {}
    with db.read() as s:
        lapses = dict(s.execute(text("SELECT id, dedupe_key FROM supervision_lapse")).all())
        for table in schema_of(s.connection()).get_table_names():
            if table in LEFT_OUT or table.startswith("alembic"):
                continue
            columns = [c["name"] for c in schema_of(s.connection()).get_columns(table) if c["name"] not in NEW_ROW_IDS]
            listed = ", ".join(f'"{c}"' for c in columns)
            found[table] = sorted((_lapse_named(dict(zip(columns, row)), lapses) if table == "dossierentry" else tuple(row)
                                   for row in s.execute(text(f'SELECT {listed} FROM "{table}"')).all()), key=repr)
    return found


def _lapse_named(entry: dict, lapses: dict[int, str]) -> tuple:
    if entry["ref_kind"] == "supervision_lapses":
        entry["ref_id"] = entry["dedupe_key"] = lapses[entry["ref_id"]]
    return tuple(entry.values())


@pytest.fixture(scope="module")
def two_demo_courts(tmp_path_factory):
    """One demo court seeded (its passwords are salted at random) and copied, so both start the same."""
    folder = tmp_path_factory.mktemp("shares")
    seeded = fresh_sqlite(folder / "one.db")
    seed_demo(seeded, SEEDED)
    seeded.dispose()
    shutil.copyfile(folder / "one.db", folder / "shared.db")
    one, shared = Database(f"sqlite:///{folder / 'one.db'}"), Database(f"sqlite:///{folder / 'shared.db'}")
    yield one, shared
    one.dispose()
    shared.dispose()


def test_three_shares_cover_every_court_once(two_demo_courts):
    one, _ = two_demo_courts
    with one.read() as s:
        slices = monitor_shares(s, 3)
        every = s.execute(text("SELECT id FROM court")).scalars().all()
    assert len(slices) == 3 and sorted(c for part in slices for c in part.courts) == sorted(every)


def test_the_shared_flow_run_writes_what_one_transaction_writes(prefect_server, two_demo_courts):
    one, shared = two_demo_courts
    alone = run_daily_monitor(one, AS_OF, datetime(2025, 4, 13, 16, 30, tzinfo=timezone.utc))
    together = daily_monitor(as_of=AS_OF, database_url=shared.url, shares=3)
    assert alone.overdue > 0 and alone.warnings > 0 and sum(alone.escalations_by_kind.values()) > 0
    assert {k: v for k, v in vars(alone).items() if k != "extra"} == \
        {k: v for k, v in together.items() if k != "extra"}
    before, after = rows(one), rows(shared)
    assert before.keys() == after.keys()
    diff = {t: (sorted(set(before[t]) - set(after[t]), key=repr)[:3], sorted(set(after[t]) - set(before[t]), key=repr)[:3]) for t in before if before[t] != after[t]}
    assert not diff, repr(diff)[:2000]
