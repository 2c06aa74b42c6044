"""The province data set (DESIGN.md "Scale"): 1 high, 14 intermediate and 100 basic courts,
~6,000 quota judges and 1.2 million cases filed over the two years before `now`.

Rows are plain dicts with ids assigned here, loaded with Core executemany in chunks, in one
transaction: no ORM objects, so memory stays flat. On SQLite fsync is off and the page cache
larger for the load only; on PostgreSQL nothing is dropped or tuned, only inserted, and the
id sequences are moved past the rows afterwards.
"""
import itertools
import random
from contextlib import contextmanager
from datetime import datetime
from typing import Iterable, Iterator

from sqlalchemy import func, select, text
from sqlmodel import Session
from tqdm import tqdm

from policies.calendar import load_calendar
from policies.deadline import local_date
from policies.time_limits import default_time_limits
from services.passwords import hash_password
from services.seed_data import CITIES, HIGH_COURT, CaseMaker, court_name
from services.seed_org import CourtSpec, Org, OrgBuilder
from store import trace
from store.models import Case, Court, Division, ExcludedPeriod, ExtensionRequest, RoleGrant, Team, User

DEMO_PASSWORD = "courtflow-demo"
SEED = 20250303
CHUNK = 20_000
ID_TABLES = (Court, Division, Team, User, Case)
BULK_PRAGMAS = ("synchronous=OFF", "cache_size=-131072", "temp_store=MEMORY")
NORMAL_PRAGMAS = ("synchronous=NORMAL", "cache_size=-2000", "temp_store=DEFAULT")


class SeedRefused(RuntimeError):
    """The database already holds courts: a seed only ever loads an empty one."""


def province_courts(rng: random.Random) -> list[CourtSpec]:
    """辽宁: the high court, 14 intermediate courts, 100 basic courts of uneven size."""
    specs = [CourtSpec(HIGH_COURT[0], HIGH_COURT[1], "high", None, "ln", 3.5)]
    for city, digits, districts in CITIES:
        specs.append(CourtSpec(f"辽{digits}", f"{city}市中级人民法院", "intermediate", "辽", f"c{digits}", 3.0))
        specs += [CourtSpec(f"辽{digits}{d}", court_name(city, name), "basic", f"辽{digits}", f"c{digits}{d}",
                            rng.uniform(0.6, 1.6)) for name, d in districts]
    return specs


def seed_province(db, now: datetime, *, cases: int = 1_200_000, judges: int = 6_000, progress: bool = True) -> dict:
    """Load the province into an empty database; returns the counts it traced."""
    rng = random.Random(SEED)
    with bulk_session(db) as session:
        ids = prepare(session)
        org = OrgBuilder(rng, ids, hash_password(DEMO_PASSWORD)).build(province_courts(rng), judges)
        insert_org(session, org)
        maker = CaseMaker(rng, org.slots, local_date(now), ids["cases"], load_calendar(), default_time_limits())
        with tqdm(total=cases, unit="case", disable=not progress, desc="cases") as bar:
            insert_cases(session, maker, cases, bar.update)
        counts = finish(session, now, "seed.province")
    return counts


@contextmanager
def bulk_session(db) -> Iterator[Session]:
    """One transaction for the whole load; on SQLite without fsync while it runs."""
    with db.writer.connect() as conn:
        _pragmas(conn, BULK_PRAGMAS if db.is_sqlite else ())
        try:
            with Session(bind=conn) as session:
                yield session
                session.commit()
        finally:
            _pragmas(conn, NORMAL_PRAGMAS if db.is_sqlite else ())


def _pragmas(conn, pragmas: tuple[str, ...]) -> None:
    raw = conn.connection.driver_connection  # outside any transaction (pysqlite autocommit mode)
    for pragma in pragmas:
        raw.execute(f"PRAGMA {pragma}")


def prepare(session: Session) -> dict[str, int]:
    """Refuse a database that has courts; else the first free id of each table we number."""
    conn = session.connection()
    courts = conn.execute(select(func.count()).select_from(Court.__table__)).scalar_one()
    if courts:
        raise SeedRefused(f"the database already has {courts} courts; a seed only loads an empty database")
    return {m.__tablename__: (conn.execute(select(func.max(m.__table__.c.id))).scalar() or 0) + 1 for m in ID_TABLES}


def insert_org(session: Session, org: Org) -> None:
    for model in (Court, Division, Team, User, RoleGrant):
        insert_rows(session, model, org.rows[model.__tablename__])


def insert_cases(session: Session, maker: CaseMaker, total: int, progress=lambda n: None) -> None:
    """Cases chunk by chunk, each followed by the suspensions and extensions it brought."""
    for chunk in chunks(maker.rows(total), CHUNK):
        insert_rows(session, Case, chunk)
        insert_rows(session, ExcludedPeriod, maker.extras.excluded)
        insert_rows(session, ExtensionRequest, maker.extras.extensions)
        maker.extras.excluded.clear()
        maker.extras.extensions.clear()
        progress(len(chunk))


def insert_rows(session: Session, model, rows: Iterable[dict]) -> None:
    for chunk in chunks(rows, CHUNK):
        session.connection().execute(model.__table__.insert(), chunk)


def chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def finish(session: Session, now: datetime, action: str) -> dict:
    """Move PostgreSQL's id sequences past the rows, count what is there, trace it once."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        for model in ID_TABLES:
            name = model.__tablename__
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM \"{name}\"))"))
    counts = table_counts(session)
    trace.append(session, at=now, actor="system", action=action, subject_kind="courts", after=counts)
    return counts


def table_counts(session: Session) -> dict[str, int]:
    conn = session.connection()
    count = lambda model, *where: conn.execute(  # noqa: E731
        select(func.count()).select_from(model.__table__).where(*where)).scalar_one()
    return {"courts": count(Court), "divisions": count(Division), "teams": count(Team), "users": count(User),
            "quota_judges": count(User, User.is_quota_judge.is_(True)), "cases": count(Case),
            "pending_cases": count(Case, Case.state.in_(("filed", "assigned", "in_trial", "under_review",
                                                         "suspended")))}
