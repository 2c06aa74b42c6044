"""A court's (or a division's) policy overrides: checked by the policy's own schema (errors name the key),
compared with the policy in force, kept as numbered versions with who, why and from when, and locked keys a
higher court sets. A division's override (for a policy whose schema allows division scope) merges over its
court's, and respects every key its court and the courts above lock.

An override takes effect on its date: never before, and never on a past day, so nothing already decided is
judged again by it (deadlines, warnings and records already written keep the rules they were made under).
The version is copied into force by the daily monitor of its date (services/kernel/policy.apply_due_versions),
at once when it is dated today."""
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel
from sqlmodel import Session, func, select

from policies.errors import PolicyError
from policies.loading import read_yaml_text
from policies.registry import schema
from services.admin.scope import court_of, require_policy_keeper
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Invalid, NotFound
from services.kernel.policy import apply_due_versions, at_place, court_chain, division_scoped, policy, policy_if
from services.kernel.record import record
from store.models import Court, Division, PolicyOverride, PolicyOverrideVersion


@dataclass(frozen=True)
class Change:
    """One dotted key whose value differs between the policy in force and the proposed one."""
    key: str
    before: object
    after: object


def parse(text: str, name: str) -> dict:
    """An override typed as YAML: a mapping (empty text: no override)."""
    try:
        data = read_yaml_text(text, f"override {name}") if text.strip() else {}
    except PolicyError as exc:
        raise Invalid("yaml", "invalid.admin.policy_error", error=str(exc)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid("data", "invalid.admin.override_not_mapping", name=name, type=type(data).__name__)
    return data


def proposed_policy(session: Session, court_id: int, name: str, data: dict,
                    division_id: int | None = None) -> BaseModel:
    """The policy the court (or its division) would have with `data` as its own override (those above kept);
    Invalid names the key."""
    try:
        if division_id is None:
            return policy_if(session, court_id, name, court_id, data)
        return policy_if(session, court_id, name, court_id, data, division_id, division_id)
    except PolicyError as exc:
        raise Invalid("data", "invalid.admin.policy_error", error=str(exc)) from exc


def division_of(session: Session, court_id: int, name: str, division_id: int | None) -> Division | None:
    """The division an override is for (None: court-wide): one of the court's, for a policy that allows it."""
    if division_id is None:
        return None
    division = session.get(Division, division_id)
    if division is None or division.court_id != court_id:
        raise NotFound("not_found.admin.division", id=division_id)
    if not division_scoped(name):
        raise Invalid("division_id", "invalid.admin.policy_not_division_scoped", name=name)
    return division


def locked_keys(session: Session, court_id: int, name: str, division_id: int | None = None) -> dict[str, str]:
    """Keys the courts above lock for `name` (for a division: its own court too): {dotted key: the court's code}."""
    locks = {}
    chain = court_chain(session, court_id)
    for cid in (chain if division_id is not None else chain[:-1]):
        latest = _latest(session, cid, name)
        for key in (latest.locked_keys if latest else []):
            locks[key] = court_of(session, cid).code
    return locks


def _latest(session: Session, court_id: int, name: str, division_id: int | None = None) -> PolicyOverrideVersion | None:
    return session.exec(select(PolicyOverrideVersion).where(
        at_place(PolicyOverrideVersion, court_id, division_id), PolicyOverrideVersion.name == name)
        .order_by(PolicyOverrideVersion.version.desc())).first()


def keys_of(data: dict, prefix: str = "") -> list[str]:
    """Every dotted key an override sets, inner mappings included (a.b and a.b.c)."""
    found = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        found.append(dotted)
        if isinstance(value, dict):
            found += keys_of(value, dotted + ".")
    return found


def _overlaps(key: str, locked: str) -> bool:
    return key == locked or key.startswith(locked + ".") or locked.startswith(key + ".")


def refuse_locked(session: Session, court_id: int, name: str, data: dict, division_id: int | None = None) -> None:
    locks = locked_keys(session, court_id, name, division_id)
    for key in keys_of(data):
        for locked, by in locks.items():
            if _overlaps(key, locked):
                named = max(key, locked, key=len)
                raise Invalid(f"data.{named}", "invalid.admin.key_locked", name=name, key=named, by=by)


def flat(value, prefix: str = "") -> dict[str, object]:
    """{dotted key: leaf value} of a policy as data (lists are leaves)."""
    if isinstance(value, dict) and value:
        out = {}
        for key, inner in value.items():
            out.update(flat(inner, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): value}


def diff(before: BaseModel, after: BaseModel) -> list[Change]:
    """The keys whose values differ, as dotted keys (lists compared whole)."""
    old, new = flat(before.model_dump(mode="json")), flat(after.model_dump(mode="json"))
    return [Change(k, old.get(k), new.get(k)) for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


@dataclass(frozen=True)
class Proposal:
    court: Court
    name: str
    data: dict
    before: BaseModel
    after: BaseModel
    changes: list[Change]
    division: Division | None = None


def propose(session: Session, actor: Actor, court_id: int, name: str, data: dict,
            division_id: int | None = None) -> Proposal:
    """Check an override without saving it: the keeper's court, the division (where the policy allows one),
    the locks above it, its schema; and its diff against the policy in force there."""
    court = require_policy_keeper(session, actor, court_id)
    division = division_of(session, court_id, name, division_id)
    refuse_locked(session, court_id, name, data, division_id)
    after = proposed_policy(session, court_id, name, data, division_id)
    before = policy(session, court_id, name, division_id)
    return Proposal(court, name, data, before, after, diff(before, after), division)


def save(session: Session, actor: Actor, court_id: int, name: str, data: dict, *, effective_from: date, why: str,
         now: datetime, locks: list[str] = (), division_id: int | None = None) -> PolicyOverrideVersion:
    """Keep the override as the next version of its place (the court, or its division), effective from
    `effective_from` (today or later), traced with who and why; `locks` are keys the court's lower courts (and
    its divisions) may no longer override: a division locks nothing."""
    proposal = propose(session, actor, court_id, name, data, division_id)
    if division_id is not None and locks:
        raise Invalid("locks", "invalid.admin.division_locks_nothing")
    if not why.strip():
        raise Invalid("why", "invalid.admin.why_policy_changes")
    if effective_from < local_today(now):
        raise Invalid("effective_from", "invalid.admin.effective_from_past", day=effective_from)
    unknown = [k for k in locks if not any(c == k or c.startswith(k + ".") for c in flat(proposal.after.model_dump(mode="json")))]
    if unknown:
        raise Invalid("locks", "invalid.admin.not_a_key", name=name, keys=", ".join(unknown))
    number = (session.exec(select(func.max(PolicyOverrideVersion.version)).where(
        at_place(PolicyOverrideVersion, court_id, division_id), PolicyOverrideVersion.name == name)).one() or 0) + 1
    version = PolicyOverrideVersion(court_id=court_id, division_id=division_id, name=name, version=number, data=data,
                                    locked_keys=list(locks),
                                    effective_from=effective_from, why=why.strip(), created_by=actor.user_id,
                                    created_at=now)
    session.add(version)
    session.flush()
    record(session, actor, "policy.override", at=now, subject_kind="courts", subject_id=court_id, court_id=court_id,
           why=why.strip(), after={"policy": name, "division_id": division_id, "version": number,
                                   "effective_from": effective_from.isoformat(),
                                   "data": data, "locked_keys": list(locks),
                                   "changes": [{"key": c.key, "before": c.before, "after": c.after}
                                               for c in proposal.changes]})
    if effective_from == local_today(now):
        apply_due_versions(session, effective_from, now)
    return version


def versions(session: Session, actor: Actor, court_id: int, name: str | None = None,
             division_id: int | None = None) -> list[PolicyOverrideVersion]:
    """Every saved version of the place (the court, or its division), newest first (the keepers of the court
    and above may read them)."""
    require_policy_keeper(session, actor, court_id)
    stmt = select(PolicyOverrideVersion).where(at_place(PolicyOverrideVersion, court_id, division_id))
    if name:
        stmt = stmt.where(PolicyOverrideVersion.name == name)
    return list(session.exec(stmt.order_by(PolicyOverrideVersion.name, PolicyOverrideVersion.version.desc())).all())


def refuse_unknown(name: str) -> None:
    try:
        schema(name)
    except PolicyError as exc:
        raise NotFound("not_found.admin.policy", name=name) from exc


@dataclass(frozen=True)
class PolicyView:
    """What the policy page and the API show: the policy in force, the court's own override in force, the
    keys its ancestors lock, and every version the court saved."""
    name: str
    court: Court
    effective: dict
    own: dict
    locked: dict[str, str]
    versions: list[PolicyOverrideVersion]


def view(session: Session, actor: Actor, court_id: int, name: str, division_id: int | None = None) -> PolicyView:
    refuse_unknown(name)
    court = require_policy_keeper(session, actor, court_id)
    division_of(session, court_id, name, division_id)
    own = session.exec(select(PolicyOverride).where(at_place(PolicyOverride, court_id, division_id),
                                                    PolicyOverride.name == name)).first()
    return PolicyView(name, court, policy(session, court_id, name, division_id).model_dump(mode="json"),
                      own.data if own else {}, locked_keys(session, court_id, name, division_id),
                      versions(session, actor, court_id, name, division_id))
