"""A court's policies: the defaults merged with the overrides of its ancestors, then its own."""
from datetime import date, datetime
from functools import lru_cache

from sqlmodel import Session, func, select

from policies.calendar import OfficialCalendar
from policies.registry import build
from store.models import Court, PolicyOverride, PolicyOverrideVersion


def court_chain(session: Session, court_id: int) -> list[int]:
    """The court's ancestors' ids and its own, highest first."""
    court = session.get(Court, court_id)
    return [int(x) for x in court.path.strip("/").split("/") if x] if court else []


def _override_chain(session: Session, court_id: int, name: str, replace: tuple[int, dict] | None = None) -> tuple:
    """(source, frozen data) of each override along the court's path, highest court first; `replace` puts
    (court id, data) in place of that court's own override (what a proposed override would make of it)."""
    ids = court_chain(session, court_id)
    rows = session.exec(select(PolicyOverride).where(PolicyOverride.court_id.in_(ids), PolicyOverride.name == name)).all()
    chain = {r.court_id: (f"override {name} of court {r.court_id} (v{r.version})", r.data) for r in rows}
    if replace is not None:
        cid, data = replace
        chain[cid] = (f"override {name} of court {cid} (proposed)", data)
    return tuple((chain[cid][0], _freeze(chain[cid][1])) for cid in ids if cid in chain and chain[cid][1])


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
    overrides = {r.court_id: r for r in session.exec(select(PolicyOverride).where(PolicyOverride.name == name))}
    if not overrides:
        return [(_built(name, ()), None)]
    groups: dict[tuple, list[int]] = {}
    for court_id, path in session.exec(select(Court.id, Court.path)):
        ids = [int(x) for x in path.strip("/").split("/") if x]
        chain = tuple((f"override {name} of court {cid} (v{overrides[cid].version})", _freeze(overrides[cid].data))
                      for cid in ids if cid in overrides)
        groups.setdefault(chain, []).append(court_id)
    return [(_built(name, chain), sorted(ids)) for chain, ids in groups.items()]


def policy(session: Session, court_id: int, name: str):
    """The validated policy `name` in force at the court (cached per distinct override chain)."""
    return _built(name, _override_chain(session, court_id, name))


def policy_if(session: Session, court_id: int, name: str, overriding_court_id: int, data: dict):
    """The policy `name` the court would have if `overriding_court_id` (itself or an ancestor) had `data` as its
    own override; PolicyError naming source and key when that does not validate."""
    return _built(name, _override_chain(session, court_id, name, (overriding_court_id, data)))


@lru_cache(maxsize=64)
def _calendar(chain: tuple) -> OfficialCalendar:
    return _official(_built("calendar", chain))


def _official(model) -> OfficialCalendar:
    return OfficialCalendar({y: d.model_dump() for y, d in model.years.items()})


def calendar(session: Session, court_id: int) -> OfficialCalendar:
    """The official working-day calendar with the court's policy data for later years."""
    return _calendar(_override_chain(session, court_id, "calendar"))


def version_on(session: Session, court_id: int, name: str, day: date) -> PolicyOverrideVersion | None:
    """The court's own saved override version in force on `day` (None: none saved, or none yet in force)."""
    return session.exec(select(PolicyOverrideVersion).where(
        PolicyOverrideVersion.court_id == court_id, PolicyOverrideVersion.name == name,
        PolicyOverrideVersion.effective_from <= day)
        .order_by(PolicyOverrideVersion.effective_from.desc(), PolicyOverrideVersion.version.desc())).first()


def _chain_on(session: Session, court_id: int, name: str, day: date) -> tuple:
    """The override chain as it stood on `day`: each court's version in force then; a court with no saved
    version keeps its PolicyOverride row (written before versions were kept)."""
    versioned = set(session.exec(select(PolicyOverrideVersion.court_id).where(
        PolicyOverrideVersion.name == name).distinct()).all())
    current = {r.court_id: r for r in session.exec(select(PolicyOverride).where(PolicyOverride.name == name))}
    chain = []
    for cid in court_chain(session, court_id):
        if cid in versioned:
            row = version_on(session, cid, name, day)
            if row is not None and row.data:
                chain.append((f"override {name} of court {cid} (v{row.version})", _freeze(row.data)))
        elif cid in current:
            chain.append((f"override {name} of court {cid} (v{current[cid].version})", _freeze(current[cid].data)))
    return tuple(chain)


def policy_on(session: Session, court_id: int, name: str, day: date):
    """The policy `name` as it stood at the court on `day`: a period already past is judged by the rules
    then in force, never by an override saved later (assessing a month uses the month's last day)."""
    return _built(name, _chain_on(session, court_id, name, day))


def apply_due_versions(session: Session, as_of: date, now: datetime) -> int:
    """Bring every court's PolicyOverride row to its version in force on `as_of` (the daily monitor runs
    this first, so a version takes effect on its date and not before); returns how many rows changed."""
    latest = (select(PolicyOverrideVersion.court_id, PolicyOverrideVersion.name,
                     func.max(PolicyOverrideVersion.effective_from).label("day"))
              .where(PolicyOverrideVersion.effective_from <= as_of)
              .group_by(PolicyOverrideVersion.court_id, PolicyOverrideVersion.name))
    changed = 0
    for court_id, name, day in session.exec(latest).all():
        version = version_on(session, court_id, name, day)
        if version.applied_at is None:
            changed += _apply(session, version, now)
    return changed


def _apply(session: Session, version: PolicyOverrideVersion, now: datetime) -> int:
    row = session.exec(select(PolicyOverride).where(PolicyOverride.court_id == version.court_id,
                                                    PolicyOverride.name == version.name)).first()
    if not version.data:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(PolicyOverride(court_id=version.court_id, name=version.name, data=version.data,
                                   updated_by=version.created_by, updated_at=now))
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
