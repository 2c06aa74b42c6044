"""The province data set (bench/RESULTS.md): 1 high, 14 intermediate and 100 basic courts,
~6,000 quota judges and 1.2 million cases filed over the two years before `now`.

Rows are plain dicts with ids assigned here, made in a second process while this one inserts them (the
machine's two cores both busy), in chunks, in one transaction: no ORM objects, so memory stays flat. On
SQLite they go to the driver as tuples, fsync is off and the page cache larger for the load only; on
PostgreSQL they go through Core, nothing is tuned, and the id sequences are moved past the rows afterwards.
"""
import multiprocessing
import operator
import random
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from queue import Empty
from typing import Callable, Iterable, Iterator, NamedTuple

from sqlalchemy import Boolean, Date, DateTime, Table, func, select, text
from sqlmodel import Session, SQLModel
from tqdm import tqdm

from policies.assignment import default_assignment
from policies.calendar import load_calendar
from policies.time_limits import default_time_limits
from services.kernel.clock import local_date
from services.demo.case_records import RECORD_FIELDS, CaseFacts, case_records, has_records, next_task_id
from services.kernel.passwords import hash_password
from services.demo.data import (ASSESSORS_PER_JUDGE, CITIES, DIVISIONS, FAST_TRACK_DIVISION, HIGH_COURT, PROCEDURE_MIX,
                                CaseMaker, Slot, chunks, court_name, person_name)
from store import trace
from store.models import (Case, CaseNode, Court, Division, ExcludedPeriod, ExtensionRequest, PanelMember, Party, RoleGrant,
                          Task, Team, User)
from store.models.case import PENDING_STATES

DEMO_PASSWORD = "courtflow-demo"
SEED = 20250303
CHUNK = 20_000
ID_TABLES = (Court, Division, Team, User, Case, Task)  # Task: the nodes' open tasks are inserted with their ids
BULK_PRAGMAS = ("synchronous=OFF", "cache_size=-1048576", "temp_store=MEMORY", "foreign_keys=OFF")
NORMAL_PRAGMAS = ("synchronous=NORMAL", "cache_size=-2000", "temp_store=DEFAULT", "foreign_keys=ON")


COURT_ROLES = (("president", "president", "院长"), ("vice_president", "vp", "副院长"),
               ("trial_office", "trial_office", "审判管理办公室主任"), ("filing_clerk", "filing", "立案庭法官助理"),
               ("inspection", "inspection", "监察室主任"), ("personnel", "personnel", "政治部主任"),
               ("committee", "committee", "审判委员会专职委员"), ("court_admin", "court_admin", "系统管理员"))
DIVISION_ROLES = frozenset({"judge", "assistant", "clerk", "division_chief"})


class SeedRefused(RuntimeError):
    """The database already holds the courts: a seed only loads a province that is not there yet."""


@dataclass(frozen=True)
class Province:
    """A province of the data set: its 法院代字 (the first character of its courts' codes, so of its 案号) and
    what keeps its people apart from another province's: the high court's username prefix, the prefix of the
    lower courts' usernames and of the staff numbers. Every province is laid out as 辽宁 (its cities' court
    digits and sizes) and drawn from the same seed: the same cases under its own codes."""
    code: str
    name: str
    high: str   # ln_president
    login: str  # jl_c0102_judge07
    staff: str  # JL0102001; 辽宁's J0102001 has a digit second, so no other province's can equal it


LIAONING = Province("辽", "辽宁省", "ln", "", "J")
PROVINCES = (LIAONING, Province("吉", "吉林省", "jl", "jl_", "JL"), Province("黑", "黑龙江省", "hl", "hl_", "HL"),
             Province("冀", "河北省", "he", "he_", "HE"), Province("晋", "山西省", "sx", "sx_", "SX"))


@dataclass(frozen=True)
class CourtSpec:
    code: str
    name: str
    level: str
    parent: str | None
    prefix: str  # usernames start with it: hp_president, c0102_judge07
    weight: float  # the court's share of the judges


@dataclass
class Org:
    rows: dict[str, list[dict]] = field(
        default_factory=lambda: {t: [] for t in ("court", "division", "team", "users", "rolegrant")})
    courts: dict[str, dict] = field(default_factory=dict)
    presidents: dict[int, int] = field(default_factory=dict)
    slots: list[Slot] = field(default_factory=list)


class OrgBuilder:
    """Courts, divisions, teams and people as rows: each court's leaders and offices, and per
    division a chief (a quota judge), its judges, and an assistant and a clerk per two judges."""

    def __init__(self, rng: random.Random, ids: dict[str, int], password_hash: str, staff: str = LIAONING.staff):
        self.rng, self.ids, self.hash, self.org, self.staff = rng, dict(ids), password_hash, Org(), staff
        self.numbers: dict[tuple[str, str], int] = {}

    def build(self, specs: list[CourtSpec], judges: int) -> Org:
        for spec in specs:
            self.court(spec)
        plan = [(spec, d) for spec in specs for d in DIVISIONS[spec.level]]
        for (spec, division), n in zip(plan, allocate([s.weight * d[3] for s, d in plan], judges)):
            self.division(spec, division, n)
        for spec in specs:
            self.assessors(spec)
        return self.org

    def assessors(self, spec: CourtSpec) -> None:
        """The court's pool of people's assessors (人民陪审员): ASSESSORS_PER_JUDGE per judge of a court that tries
        cases of a procedure that sits with them. Named from their own Random, so the cases drawn after stay as
        they were."""
        slots = [s for s in self.org.slots if s.court_code == spec.code]
        with_assessors = default_assignment().panels.assessors.procedures
        if not any(p in with_assessors for s in slots for p, _ in PROCEDURE_MIX[(s.level, s.category)]):
            return
        court, names = self.org.courts[spec.code], random.Random(spec.code)
        n = ASSESSORS_PER_JUDGE * sum(len(s.judges) + len(s.team_judges) for s in slots)
        pool = [self.user(court, self.numbered(spec.prefix, "assessor"), "人民陪审员", ["assessor"], names=names)
                for _ in range(n)]
        for slot in slots:
            slot.assessors = pool

    def court(self, spec: CourtSpec) -> None:
        parent = self.org.courts.get(spec.parent)
        court_id = self.next_id("court")
        row = dict(id=court_id, code=spec.code, name=spec.name, level=spec.level,
                   parent_id=parent["id"] if parent else None, path=f"{parent['path'] if parent else '/'}{court_id}/")
        self.org.rows["court"].append(row)
        self.org.courts[spec.code] = row
        for role, key, title in COURT_ROLES:
            subtree = role == "trial_office" and spec.level != "basic"
            user_id = self.user(row, f"{spec.prefix}_{key}", title, [role], subtree=subtree)
            if role == "president":
                self.org.presidents[court_id] = user_id

    def division(self, spec: CourtSpec, division: tuple, n_judges: int) -> None:
        name, key, category, _ = division
        court, division_id = self.org.courts[spec.code], self.next_id("division")
        self.org.rows["division"].append(dict(id=division_id, court_id=court["id"], name=name, category=category))
        team_id, team_size = None, 0
        if spec.level == "basic" and key == FAST_TRACK_DIVISION:
            team_id, team_size = self.next_id("team"), (n_judges + 1) // 3
            self.org.rows["team"].append(dict(id=team_id, division_id=division_id, name="速裁团队", fast_track=True))
        judges = [self.user(court, f"{spec.prefix}_chief_{key}", "庭长", ["division_chief", "judge"], division_id,
                            judge=True)]
        team = [self.user(court, self.numbered(spec.prefix, "judge"), "审判员", ["judge"], division_id, team_id,
                          judge=True) for _ in range(team_size)]
        judges += [self.user(court, self.numbered(spec.prefix, "judge"), "审判员", ["judge"], division_id, judge=True)
                   for _ in range(n_judges - 1 - team_size)]
        for _ in range((n_judges + 1) // 2):
            self.user(court, self.numbered(spec.prefix, "assistant"), "法官助理", ["assistant"], division_id)
            self.user(court, self.numbered(spec.prefix, "clerk"), "书记员", ["clerk"], division_id)
        self.org.slots.append(Slot(court["id"], spec.code, spec.level, division_id, category,
                                   self.org.presidents[court["id"]], judges, team_id, team))

    def user(self, court: dict, username: str, title: str, roles: list[str], division_id: int | None = None,
             team_id: int | None = None, judge: bool = False, subtree: bool = False,
             names: random.Random | None = None) -> int:
        user_id, rng = self.next_id("users"), names or self.rng
        staff_no = f"{self.staff}{court['code'][1:] or '00'}{self.count(court['code'], 'staff'):03d}" if judge else None
        self.org.rows["users"].append(dict(
            id=user_id, username=username, display_name=person_name(rng), password_hash=self.hash,
            staff_no=staff_no, court_id=court["id"], division_id=division_id, team_id=team_id, title=title,
            is_quota_judge=judge, quota_since=date(rng.randint(2016, 2023), rng.randint(1, 12), 1) if judge else None,
            language="zh", active=True, version=1))
        self.org.rows["rolegrant"] += [dict(
            user_id=user_id, role=role, court_id=court["id"], include_subtree=subtree,
            division_id=division_id if role in DIVISION_ROLES else None) for role in roles]
        return user_id

    def numbered(self, prefix: str, kind: str) -> str:
        return f"{prefix}_{kind}{self.count(prefix, kind):02d}"

    def count(self, scope: str, kind: str) -> int:
        self.numbers[(scope, kind)] = self.numbers.get((scope, kind), 0) + 1
        return self.numbers[(scope, kind)]

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1


def allocate(weights: list[float], total: int) -> list[int]:
    """One judge (the chief) per division, the rest by weight, largest remainders first."""
    spare = total - len(weights)
    if spare < 0:
        raise ValueError(f"{total} judges cannot staff {len(weights)} divisions (each needs its chief)")
    shares = [w * spare / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[:spare - sum(counts)]:
        counts[i] += 1
    return [1 + c for c in counts]


def province_courts(rng: random.Random, judges: int, province: Province = LIAONING) -> list[CourtSpec]:
    """辽宁 (or another province laid out as it): the high court, 14 intermediate courts, 100 basic courts of
    uneven size. Another province's courts are named with its name first (吉林省沈阳市中级人民法院).

    With too few judges for every division to have three, the province is cut to its first
    cities (a small test run is 沈阳 alone), rather than leaving divisions without judges.
    """
    p, named = province, (lambda name: name if province == LIAONING else f"{province.name}{name}")
    high = HIGH_COURT[1] if p == LIAONING else f"{p.name}高级人民法院"
    specs = [CourtSpec(p.code, high, "high", None, p.high, 3.5)]
    for i, (city, digits, districts) in enumerate(CITIES):
        divisions = sum(len(DIVISIONS[s.level]) for s in specs) + len(DIVISIONS["intermediate"])
        if i and 3 * (divisions + len(districts) * len(DIVISIONS["basic"])) > judges:
            break
        specs.append(CourtSpec(f"{p.code}{digits}", named(f"{city}市中级人民法院"), "intermediate", p.code,
                               f"{p.login}c{digits}", 3.0))
        specs += [CourtSpec(f"{p.code}{digits}{d}", named(court_name(city, name)), "basic", f"{p.code}{digits}",
                            f"{p.login}c{digits}{d}", rng.uniform(0.6, 1.6)) for name, d in districts]
    return specs


def seed_province(db, now: datetime, *, cases: int = 1_200_000, judges: int = 6_000, progress: bool = True,
                  province: Province = LIAONING) -> dict:
    """Load the province into a database without its courts (beside other provinces, or none); returns the
    counts it traced, of the whole database."""
    rng = random.Random(SEED)
    with bulk_session(db) as session, indexes_built_after(session) as build_indexes:
        ids = prepare(session, province.code)
        org = OrgBuilder(rng, ids, hash_password(DEMO_PASSWORD), province.staff).build(
            province_courts(rng, judges, province), judges)
        insert_org(session, org)
        maker = CaseMaker(rng, org.slots, local_date(now), ids["cases"], load_calendar(), default_time_limits(),
                          default_assignment().panels)
        rows = province_rows(maker, cases, now, rng, next_task_id(session), session.connection().dialect)
        with tqdm(total=cases, unit="case", disable=not progress, desc="cases") as bar:
            for made, batches in made_elsewhere(rows):
                if not made:  # every case is in: their indexes are built while the other process makes the records
                    build_indexes(Case, ExcludedPeriod, ExtensionRequest, PanelMember)
                for batch in batches:
                    write(session, batch)
                bar.update(made)
        counts = finish(session, now, "seed.province")
    db.refresh_statistics(bulk_loaded=True)
    return counts


@contextmanager
def bulk_session(db) -> Iterator[Session]:
    """One transaction for the whole load; on SQLite without fsync and without checking each row's foreign keys
    while it runs (the rows refer to what the load made before them: tests/integration/test_seed.py checks)."""
    with db.writer.connect() as conn:
        _pragmas(conn, BULK_PRAGMAS if db.is_sqlite else ())
        try:
            with Session(bind=conn) as session:
                yield session
                session.commit()
        finally:
            _pragmas(conn, NORMAL_PRAGMAS if db.is_sqlite else ())


@contextmanager
def indexes_built_after(session: Session) -> Iterator[Callable[..., None]]:
    """The secondary indexes are dropped for the load and each built once after it, from its own definition as
    the database holds it: maintaining them row by row took about half the seed. Unique indexes stay, since the
    load's inserts that ignore duplicates rely on them. Yields what builds the indexes of tables already loaded
    (models) earlier, while the other process makes the rest."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        found = conn.execute(text("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' "
                                  "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")).all()
    else:
        found = conn.execute(text("SELECT indexname, indexdef, tablename FROM pg_indexes "
                                  "WHERE schemaname = current_schema() AND indexdef NOT LIKE 'CREATE UNIQUE%'")).all()
    for name, _, _ in found:
        conn.execute(text(f'DROP INDEX "{name}"'))
    dropped = {name: (definition, table) for name, definition, table in found}

    def build(*models) -> None:
        tables = {m.__tablename__ for m in models} if models else None
        for name, (definition, table) in list(dropped.items()):
            if tables is None or table in tables:
                conn.execute(text(definition))
                del dropped[name]
    yield build
    build()


def _pragmas(conn, pragmas: tuple[str, ...]) -> None:
    raw = conn.connection.driver_connection  # outside any transaction (pysqlite autocommit mode)
    for pragma in pragmas:
        raw.execute(f"PRAGMA {pragma}")


def prepare(session: Session, code: str = "") -> dict[str, int]:
    """Refuse a database that has courts (whose code starts with `code`, a province's); else the first free id
    of each table we number."""
    conn = session.connection()
    courts = conn.execute(select(func.count()).select_from(Court.__table__)
                          .where(Court.__table__.c.code.startswith(code))).scalar_one()
    if courts:
        raise SeedRefused(f"the database already has {courts} courts{' of ' + code if code else ''}; "
                          "a seed only loads a province that is not there yet")
    return {m.__tablename__: (conn.execute(select(func.max(m.__table__.c.id))).scalar() or 0) + 1 for m in ID_TABLES}


def insert_org(session: Session, org: Org) -> None:
    for model in (Court, Division, Team, User, RoleGrant):
        insert_rows(session, model, org.rows[model.__tablename__])


class Batch(NamedTuple):
    """Rows of one table made ready for the database: on SQLite the INSERT and each row's tuple of values,
    bound as the columns' types bind them; elsewhere the dicts, for Core (`sql` None)."""
    table: str
    sql: str | None
    rows: list


def insert_cases(session: Session, maker: CaseMaker, total: int) -> None:
    for _, batches in case_batches(maker, total, session.connection().dialect):
        for batch in batches:
            write(session, batch)


def case_batches(maker: CaseMaker, total: int, dialect) -> Iterator[tuple[list[dict], list[Batch]]]:
    """Cases chunk by chunk, each with the suspensions, extensions and panel seats it brought."""
    for chunk in chunks(maker.rows(total), CHUNK):
        extras = maker.extras
        yield chunk, [batch(dialect, model, rows) for model, rows in (
            (Case, chunk), (ExcludedPeriod, extras.excluded), (ExtensionRequest, extras.extensions),
            (PanelMember, extras.seats))]
        extras.clear()


def province_rows(maker: CaseMaker, total: int, now: datetime, rng: random.Random, first_task: int,
                  dialect) -> Iterator[tuple[int, list[Batch]]]:
    """(cases made, batches): the cases and what they brought, then the records (tasks, nodes, parties) of those
    pending or lately closed, drawn from the same Random once every case is made, as seed_case_records draws
    them from the rows read back."""
    today, recorded = local_date(now), []
    for chunk, batches in case_batches(maker, total, dialect):
        recorded += [CaseFacts(*map(row.__getitem__, RECORD_FIELDS)) for row in chunk if has_records(row, today)]
        yield len(chunk), batches
    for records in case_records(recorded, now, rng, first_task, CHUNK):
        yield 0, [batch(dialect, model, rows) for model, rows in zip((Task, CaseNode, Party), records)]


def insert_rows(session: Session, model, rows: Iterable[dict]) -> None:
    dialect = session.connection().dialect
    for chunk in chunks(rows, CHUNK):
        write(session, batch(dialect, model, chunk))


def batch(dialect, model, rows: list[dict]) -> Batch:
    table = model.__table__
    if dialect.name != "sqlite" or not rows:
        return Batch(table.name, None, list(rows))
    sql, values = sqlite_insert(dialect, table, tuple(rows[0]))
    return Batch(table.name, sql, [values(row) for row in rows])


def write(session: Session, batch: Batch) -> None:
    conn = session.connection()
    if not batch.rows:
        return
    if batch.sql is None:
        conn.execute(SQLModel.metadata.tables[batch.table].insert(), batch.rows)
    else:
        conn.connection.driver_connection.executemany(batch.sql, batch.rows)


@lru_cache(maxsize=None)
def sqlite_insert(dialect, table: Table, keys: tuple[str, ...]) -> tuple[str, Callable[[dict], list]]:
    """The INSERT of rows with these keys (the columns left out that have a default get it, as Core gives it) and
    what makes a row its values, each bound by its column's type as Core binds it. Straight to the driver: Core's
    handling of each row's parameters cost 15 µs a row, more than SQLite's insert of it."""
    defaults = [c for c in table.columns if c.key not in keys and c.default is not None and c.default.is_scalar]
    names = ", ".join(f'"{c.name}"' for c in [table.c[k] for k in keys] + defaults)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * (len(keys) + len(defaults)))})'
    bound = [(i, _bind(table.c[k].type, dialect)) for i, k in enumerate(keys)]
    bound = [(i, process) for i, process in bound if process]
    tail = [(_bind(c.type, dialect) or (lambda v: v))(c.default.arg) for c in defaults]
    get = operator.itemgetter(*keys)

    def values(row: dict) -> list:
        found = list(get(row))
        for i, process in bound:
            found[i] = process(found[i])
        return found + tail if tail else found
    return sql, values


def _bind(type_, dialect) -> Callable | None:
    """The type's bind processor; a date's, a time's and a flag's remembered per value (a province has about a
    thousand days)."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(type_, (Date, DateTime, Boolean)):
        return process
    seen = {}

    def remembered(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = bound = process(value)
            return bound
    return remembered


def made_elsewhere(items: Iterator, ahead: int = 16) -> Iterator:
    """What the generator yields, made in a forked process while this one uses it: on two cores the rows are
    made while the ones before are inserted. One process runs the generator from start to end, so it makes
    what it would make here."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(ahead)
    maker = context.Process(target=_make, args=(items, queue), daemon=True)
    maker.start()
    try:
        while (got := _next(queue, maker))[0] == "item":
            yield got[1]
        if got[0] == "failed":
            raise RuntimeError(f"making the rows failed:\n{got[1]}")
    finally:
        if maker.is_alive():
            maker.kill()
        maker.join()


def _make(items: Iterator, queue) -> None:
    try:
        for item in items:
            queue.put(("item", item))
        queue.put(("done", None))
    except BaseException:
        queue.put(("failed", traceback.format_exc()))


def _next(queue, maker) -> tuple[str, object]:
    while True:
        try:
            return queue.get(timeout=1)
        except Empty:
            if not maker.is_alive():
                try:
                    return queue.get(timeout=1)  # what it put just before it ended
                except Empty:
                    return "failed", f"the process making the rows ended with exit code {maker.exitcode}"


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
            "quota_judges": count(User, User.is_quota_judge.is_(True)), "tasks": count(Task), "cases": count(Case),
            "pending_cases": count(Case, Case.state.in_(PENDING_STATES)), "case_nodes": count(CaseNode), "parties": count(Party),
            "panel_seats": count(PanelMember), "assessors": count(RoleGrant, RoleGrant.role == "assessor")}
