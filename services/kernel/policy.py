"""A court's policies: the defaults merged with the overrides of its ancestors, then its own."""
from functools import lru_cache

from sqlmodel import Session, select

from policies.calendar import OfficialCalendar
from policies.registry import build
from store.models import Court, PolicyOverride


def _override_chain(session: Session, court_id: int, name: str) -> tuple:
    court = session.get(Court, court_id)
    ids = [int(x) for x in court.path.strip("/").split("/") if x] if court else []
    rows = session.exec(select(PolicyOverride).where(PolicyOverride.court_id.in_(ids), PolicyOverride.name == name)).all()
    by_court = {r.court_id: r for r in rows}
    return tuple((f"override {name} of court {cid} (v{by_court[cid].version})", _freeze(by_court[cid].data))
                 for cid in ids if cid in by_court)


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


@lru_cache(maxsize=64)
def _calendar(chain: tuple) -> OfficialCalendar:
    return _official(_built("calendar", chain))


def _official(model) -> OfficialCalendar:
    return OfficialCalendar({y: d.model_dump() for y, d in model.years.items()})


def calendar(session: Session, court_id: int) -> OfficialCalendar:
    """The official working-day calendar with the court's policy data for later years."""
    return _calendar(_override_chain(session, court_id, "calendar"))


def calendars_by_court(session: Session, court_ids: list[int]) -> dict[int, OfficialCalendar]:
    """Each court's calendar, as `calendar` gives it, read for all courts at once (a sweep's groups)."""
    found = {}
    for model, courts in courts_by_policy(session, "calendar"):
        official = _official(model)
        found |= {court_id: official for court_id in (courts or court_ids)}
    return found
