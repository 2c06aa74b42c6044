"""A court's policies: the defaults merged with the overrides of its ancestors, then its own, then (for a
policy whose schema allows division scope, read for a place in a division) the division's own.

Precedence is court < division: a division's override merges last. Only the policies whose schema says
`division_scope = True` keep division overrides, and only reads that name a division see them. The set-based
sweeps group the places by the policy in force there (`scopes_by_policy`): by court, and by (court, division)
only for the divisions that have their own override.

A command reads the policy in force once or more: each process keeps it per (PolicyStamp's stamp, court path,
division, name), so a read costs one single-row select (see `_in_force`)."""
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import and_, or_, true
from sqlmodel import Session, func, select

from policies.calendar import OfficialCalendar
from policies.registry import build, schema
from services.kernel.access import court_path
from store.models import Court, PolicyOverride, PolicyOverrideVersion, PolicyStamp

_STAMP = select(PolicyStamp.__table__.c.stamp)  # a Core statement: the ORM's select costs 4× the read
IN_FORCE_MAX = 8192  # cached chains per process: 3,500 courts × a handful of policies read per command


def court_chain(session: Session, court_id: int) -> list[int]:
    """The court's ancestors' ids and its own, highest first (none for a court that does not exist)."""
    return [int(x) for x in court_path(session, court_id).strip("/").split("/") if x]


def division_scoped(name: str) -> bool:
    """Whether the policy `name` may be overridden for one division (its schema's `division_scope`)."""
    return bool(getattr(schema(name), "division_scope", False))


def _place(division_id: int | None) -> str:
    """The chain's key of a place: a court id (int) or a division ("d<id>")."""
    return f"d{division_id}"


def _override_chain(session: Session, court_id: int, name: str, replace: tuple | None = None,
                    division_id: int | None = None) -> tuple:
    """(source, frozen data) of each override along the court's path, highest court first, then the division's
    when the policy allows it; `replace` puts (court id or "d<division id>", data) in place of that place's own
    override (what a proposed override would make of it)."""
    ids = court_chain(session, court_id)
    places: list = list(ids)
    stmt = select(PolicyOverride).where(PolicyOverride.name == name, PolicyOverride.court_id.in_(ids))
    if division_id is not None and division_scoped(name):
        places.append(_place(division_id))
        stmt = stmt.where(PolicyOverride.division_id.is_(None) | (PolicyOverride.division_id == division_id))
    else:
        stmt = stmt.where(PolicyOverride.division_id.is_(None))
    chain = {}
    for r in session.exec(stmt).all():
        where = r.court_id if r.division_id is None else _place(r.division_id)
        chain[where] = (f"override {name} of {_source(r.court_id, r.division_id)} (v{r.version})", r.data)
    if replace is not None:
        place, data = replace
        chain[place] = (f"override {name} of {_source_of(place)} (proposed)", data)
    return tuple((chain[p][0], _freeze(chain[p][1])) for p in places if p in chain and chain[p][1])


def _source(court_id: int, division_id: int | None) -> str:
    return f"court {court_id}" if division_id is None else f"court {court_id} division {division_id}"


def _source_of(place) -> str:
    return f"division {place[1:]}" if isinstance(place, str) else f"court {place}"


def _freeze(data):
    import json

    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=512)
def _built(name: str, chain: tuple):
    import json

    return build(name, [(source, json.loads(data)) for source, data in chain])


def courts_by_policy(session: Session, name: str) -> list[tuple[object, list[int] | None]]:
    """Every court grouped by the policy `name` in force there: [(policy, court ids)].

    With no override anywhere there is one group and its ids are None (every court), so a
    set-based sweep needs no court filter; otherwise one group per distinct override chain."""
    overrides = {r.court_id: r for r in session.exec(select(PolicyOverride).where(
        PolicyOverride.name == name, PolicyOverride.division_id.is_(None)))}
    if not overrides:
        return [(_built(name, ()), None)]
    groups: dict[tuple, list[int]] = {}
    for court_id, path in session.exec(select(Court.id, Court.path)):
        ids = [int(x) for x in path.strip("/").split("/") if x]
        chain = tuple((f"override {name} of court {cid} (v{overrides[cid].version})", _freeze(overrides[cid].data))
                      for cid in ids if cid in overrides)
        groups.setdefault(chain, []).append(court_id)
    return [(_built(name, chain), sorted(ids)) for chain, ids in groups.items()]


@dataclass(frozen=True)
class Scope:
    """The places one group of a sweep covers, all under one policy: the courts `courts` (None: every court); for a
    policy a division may override, only the divisions `divisions` (a group of divisions with their own override),
    or every place of those courts but the divisions `besides` (those with their own override, swept apart)."""
    courts: tuple[int, ...] | None = None
    divisions: tuple[int, ...] | None = None
    besides: tuple[int, ...] = ()

    def where(self, court_col, division_col):
        """The SQL condition that a row of this court and division lies in the scope (no condition for every place)."""
        clauses = [] if self.courts is None else [court_col.in_(self.courts)]
        if self.divisions is not None:
            clauses.append(division_col.in_(self.divisions))
        if self.besides:
            clauses.append(or_(division_col.is_(None), division_col.not_in(self.besides)))
        return and_(*clauses) if clauses else true()


def scopes_by_policy(session: Session, name: str) -> list[tuple[object, Scope]]:
    """Every place grouped by the policy `name` in force there: [(policy, scope)]. The court groups are those of
    `courts_by_policy`; for a policy a division may override, each division with its own override leaves its
    court's group for a group of its own. Where no division overrides, the groups are the courts' alone and a
    sweep reads just as it would by court."""
    own = session.exec(select(PolicyOverride.court_id, PolicyOverride.division_id).where(
        PolicyOverride.name == name, PolicyOverride.division_id.is_not(None))
        .order_by(PolicyOverride.division_id)).all() if division_scoped(name) else []
    besides = tuple(division_id for _, division_id in own)
    return ([(p, Scope(None if courts is None else tuple(courts), besides=besides))
             for p, courts in courts_by_policy(session, name)]
            + [(policy(session, court_id, name, division_id), Scope((court_id,), (division_id,)))
               for court_id, division_id in own])


def scope_policy(session: Session, name: str, scope: Scope):
    """The policy `name` a scope of `scopes_by_policy` is swept with (every court of it has the same)."""
    if scope.courts is None:
        return courts_by_policy(session, name)[0][0]
    return policy(session, scope.courts[0], name, scope.divisions[0] if scope.divisions else None)


_in_force_chains: dict[tuple, tuple] = {}


def _in_force(session: Session, court_id: int, name: str, division_id: int | None = None) -> tuple:
    """The override chain in force at the place, as `_override_chain` reads it, kept per process.

    The key holds everything the answer depends on: the overrides' stamp (PolicyStamp, renewed by trigger in
    the transaction of any write to PolicyOverride, by whichever process or connection), the court's path
    (its ancestors), the division where the policy allows one, and the name. An effective date needs nothing
    more: a version reaches PolicyOverride only when it takes effect (saved for today, or applied by the daily
    monitor on its day), and that write renews the stamp. The stamp is read before the chain, in the same
    session: a chain cached under a stamp is never older than the stamp (on PostgreSQL's READ COMMITTED a
    racing save may make it newer, which that stamp's readers could have seen anyway)."""
    if session.autoflush:  # as the chain's ORM select would: this session's own override writes renew the stamp
        session.flush()
    stamp = session.connection().execute(_STAMP).scalar()
    if division_id is not None and not division_scoped(name):
        division_id = None
    if stamp is None:  # the row was wiped with the triggers off: nothing says when the overrides change
        return _override_chain(session, court_id, name, division_id=division_id)
    key = (stamp, court_path(session, court_id), division_id, name)
    chain = _in_force_chains.get(key)
    if chain is None:
        if len(_in_force_chains) >= IN_FORCE_MAX:
            _in_force_chains.clear()
        chain = _in_force_chains[key] = _override_chain(session, court_id, name, division_id=division_id)
    return chain


def policy(session: Session, court_id: int, name: str, division_id: int | None = None):
    """The validated policy `name` in force at the court, or in its division `division_id` (a division's own
    override counts for a policy that allows division scope); cached per stamp and place (`_in_force`)."""
    return _built(name, _in_force(session, court_id, name, division_id))


def policy_if(session: Session, court_id: int, name: str, overriding_court_id: int, data: dict,
              division_id: int | None = None, overriding_division_id: int | None = None):
    """The policy `name` the court (or its division) would have if `overriding_court_id` (itself or an ancestor),
    or the division `overriding_division_id`, had `data` as its own override; PolicyError naming source and key
    when that does not validate."""
    place = _place(overriding_division_id) if overriding_division_id is not None else overriding_court_id
    return _built(name, _override_chain(session, court_id, name, (place, data), division_id))


@lru_cache(maxsize=64)
def _calendar(chain: tuple) -> OfficialCalendar:
    return _official(_built("calendar", chain))


def _official(model) -> OfficialCalendar:
    return OfficialCalendar({y: d.model_dump() for y, d in model.years.items()})


def calendar(session: Session, court_id: int) -> OfficialCalendar:
    """The official working-day calendar with the court's policy data for later years."""
    return _calendar(_in_force(session, court_id, "calendar"))


def at_place(model, court_id: int, division_id: int | None):
    """The rows of `model` (an override or its versions) of one place: court-wide, or one division."""
    if division_id is None:
        return (model.court_id == court_id) & model.division_id.is_(None)
    return model.division_id == division_id


def version_on(session: Session, court_id: int, name: str, day: date,
               division_id: int | None = None) -> PolicyOverrideVersion | None:
    """The place's own saved override version in force on `day` (None: none saved, or none yet in force)."""
    return session.exec(select(PolicyOverrideVersion).where(
        at_place(PolicyOverrideVersion, court_id, division_id), PolicyOverrideVersion.name == name,
        PolicyOverrideVersion.effective_from <= day)
        .order_by(PolicyOverrideVersion.effective_from.desc(), PolicyOverrideVersion.version.desc())).first()


def _chain_on(session: Session, court_id: int, name: str, day: date, division_id: int | None = None) -> tuple:
    """The override chain as it stood on `day`: each court's version in force then (and the division's, where
    the policy allows); a court with no saved version keeps its PolicyOverride row (written before versions)."""
    versioned = set(session.exec(select(PolicyOverrideVersion.court_id).where(
        PolicyOverrideVersion.name == name, PolicyOverrideVersion.division_id.is_(None)).distinct()).all())
    current = {r.court_id: r for r in session.exec(select(PolicyOverride).where(
        PolicyOverride.name == name, PolicyOverride.division_id.is_(None)))}
    chain = []
    for cid in court_chain(session, court_id):
        if cid in versioned:
            row = version_on(session, cid, name, day)
            if row is not None and row.data:
                chain.append((f"override {name} of court {cid} (v{row.version})", _freeze(row.data)))
        elif cid in current:
            chain.append((f"override {name} of court {cid} (v{current[cid].version})", _freeze(current[cid].data)))
    if division_id is not None and division_scoped(name):
        row = version_on(session, court_id, name, day, division_id)
        if row is not None and row.data:
            chain.append((f"override {name} of division {division_id} (v{row.version})", _freeze(row.data)))
    return tuple(chain)


def policy_on(session: Session, court_id: int, name: str, day: date, division_id: int | None = None):
    """The policy `name` as it stood at the court (or its division) on `day`: a period already past is judged by
    the rules then in force, never by an override saved later (assessing a month uses the month's last day)."""
    return _built(name, _chain_on(session, court_id, name, day, division_id))


def apply_due_versions(session: Session, as_of: date, now: datetime) -> int:
    """Bring every court's PolicyOverride row to its version in force on `as_of` (the daily monitor runs
    this first, so a version takes effect on its date and not before); returns how many rows changed."""
    latest = (select(PolicyOverrideVersion.court_id, PolicyOverrideVersion.division_id, PolicyOverrideVersion.name,
                     func.max(PolicyOverrideVersion.effective_from).label("day"))
              .where(PolicyOverrideVersion.effective_from <= as_of)
              .group_by(PolicyOverrideVersion.court_id, PolicyOverrideVersion.division_id, PolicyOverrideVersion.name))
    changed = 0
    for court_id, division_id, name, day in session.exec(latest).all():
        version = version_on(session, court_id, name, day, division_id)
        if version.applied_at is None:
            changed += _apply(session, version, now)
    return changed


def _apply(session: Session, version: PolicyOverrideVersion, now: datetime) -> int:
    row = session.exec(select(PolicyOverride).where(at_place(PolicyOverride, version.court_id, version.division_id),
                                                    PolicyOverride.name == version.name)).first()
    if not version.data:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(PolicyOverride(court_id=version.court_id, division_id=version.division_id, name=version.name,
                                   data=version.data, updated_by=version.created_by, updated_at=now))
    else:
        row.data, row.updated_by, row.updated_at = version.data, version.created_by, now
        session.add(row)
    version.applied_at = now
    session.add(version)
    return 1



def calendars_by_court(session: Session, court_ids: list[int]) -> dict[int, OfficialCalendar]:
    """Each court's calendar, as `calendar` gives it, read for all courts at once (a sweep's groups)."""
    found = {}
    for model, courts in courts_by_policy(session, "calendar"):
        official = _official(model)
        found |= {court_id: official for court_id in (courts or court_ids)}
    return found
