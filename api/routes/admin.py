"""Administration over JSON: courts, divisions, teams, users and role grants (personnel and the court's
administrator, within their courts); policy overrides with their diff and what-if (the court's administrator
and 审管办); a person setting a password from a one-time link, or changing their own."""
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath, IdQuery
from services.admin import invitations, overrides, people
from services.admin.scope import refusals_traced
from services.admin.what_if import WhatIf, what_if
from services.kernel.bounds import Day, Id
from services.kernel.clock import local_today
from services.kernel.subjects import Payload
from store.jsonable import jsonable, row_snapshot

router = APIRouter(prefix="/api/v1/admin", tags=["administration"])
PolicyName = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$", description="a policy file's name")]
Text = Annotated[str, Field(max_length=200)]


class NewCourt(Payload):
    code: Text
    name: Text
    level: Text
    parent_id: Id


class NewDivision(Payload):
    name: Text
    category: Text


class NewTeam(Payload):
    name: Text
    fast_track: bool = False


class NewUserBody(Payload):
    username: Annotated[str, Field(min_length=1, max_length=60)]
    display_name: Text
    court_id: Id
    staff_no: Annotated[str | None, Field(max_length=40)] = None
    division_id: Id | None = None
    team_id: Id | None = None
    title: Text = ""
    language: Annotated[str, Field(pattern="^(zh|en)$")] = "zh"


class Why(Payload):
    why: Annotated[str, Field(max_length=1000)]


class LinkBody(Payload):
    purpose: Annotated[str, Field(pattern="^(invite|reset)$")] = "reset"


class GrantBody(Payload):
    role: Text
    court_id: Id
    division_id: Id | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    include_subtree: bool = False


class EndGrant(Payload):
    ends_on: Day
    why: Annotated[str, Field(max_length=1000)] = ""


class Override(Payload):
    """The override as YAML text (as typed in the form) or as a JSON object; one of them."""
    yaml: Annotated[str | None, Field(max_length=100_000)] = None
    data: dict | None = None

    def parsed(self, name: str) -> dict:
        return overrides.parse(self.yaml, name) if self.yaml is not None else dict(self.data or {})


class WhatIfBody(Override):
    months: Annotated[int, Field(ge=1, le=36)] = 12


class SaveOverride(Override):
    effective_from: Day
    why: Annotated[str, Field(max_length=1000)]
    locks: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=100)] = []


def link_of(token: str) -> str:
    return f"/invitation/{token}"


def user_public(user, grants=()) -> dict:
    return {**row_snapshot(user, ["id", "username", "display_name", "staff_no", "court_id", "division_id", "team_id",
                                   "title", "active", "must_change_password"]),
            "grants": [row_snapshot(g) for g in grants]}


@router.get("/courts")
def list_courts(actor: CurrentActor, db: DbDep):
    """The courts where the caller keeps people."""
    with db.read() as session:
        return [row_snapshot(c) for c in people.courts_kept(session, actor)]


@router.post("/courts", status_code=201)
def create_court(body: NewCourt, actor: CurrentActor, db: DbDep, now: NowDep):
    """A lower court under one whose whole subtree the caller keeps (traced)."""
    with db.write() as session:
        return row_snapshot(people.create_court(session, actor, code=body.code, name=body.name, level=body.level,
                                                parent_id=body.parent_id, now=now))


@router.post("/courts/{court_id}/divisions", status_code=201)
def create_division(body: NewDivision, actor: CurrentActor, db: DbDep, now: NowDep, court_id: IdPath):
    with db.write() as session:
        return row_snapshot(people.create_division(session, actor, court_id, name=body.name, category=body.category,
                                                   now=now))


@router.post("/divisions/{division_id}/teams", status_code=201)
def create_team(body: NewTeam, actor: CurrentActor, db: DbDep, now: NowDep, division_id: IdPath):
    with db.write() as session:
        return row_snapshot(people.create_team(session, actor, division_id, name=body.name,
                                               fast_track=body.fast_track, now=now))


@router.get("/courts/{court_id}/people")
def list_people(actor: CurrentActor, db: DbDep, court_id: IdPath):
    """The court's users, active or deactivated, with their role grants and their dates."""
    with db.read() as session:
        return [user_public(u, g) for u, g in people.people_of(session, actor, court_id)]


@router.post("/users", status_code=201)
def create_user(body: NewUserBody, actor: CurrentActor, db: DbDep, now: NowDep):
    """A new account with no password, and its one-time invitation link (shown once; only its hash is kept)."""
    with refusals_traced(db, actor, "user.create", now, court_id=body.court_id), db.write() as session:
        user = people.create_user(session, actor, people.NewUser(**body.model_dump()), now)
        token = invitations.issue(session, actor, user.id, purpose="invite", now=now)
        return {**user_public(user), "invitation_link": link_of(token)}


@router.post("/users/{user_id}/deactivate")
def deactivate_user(body: Why, actor: CurrentActor, db: DbDep, now: NowDep, user_id: IdPath):
    """The account stops logging in and receiving work; nothing of it is deleted (traced with why)."""
    with db.write() as session:
        return user_public(people.deactivate_user(session, actor, user_id, why=body.why, now=now))


@router.post("/users/{user_id}/password-link")
def password_link(body: LinkBody, actor: CurrentActor, db: DbDep, now: NowDep, user_id: IdPath):
    """A new one-time link to set the password (a reset, or a new invitation); earlier links stop working."""
    with db.write() as session:
        return {"link": link_of(invitations.issue(session, actor, user_id, purpose=body.purpose, now=now))}


@router.post("/users/{user_id}/require-password-change")
def require_password_change(actor: CurrentActor, db: DbDep, now: NowDep, user_id: IdPath):
    """The user must choose a new password at their next login."""
    with db.write() as session:
        return user_public(people.require_password_change(session, actor, user_id, now=now))


@router.post("/users/{user_id}/grants", status_code=201)
def grant_role(body: GrantBody, actor: CurrentActor, db: DbDep, now: NowDep, user_id: IdPath):
    """A role in a court the caller keeps, court-wide or in one division, with start and end dates (traced)."""
    with refusals_traced(db, actor, "role.grant", now, subject_kind="users", subject_id=user_id,
                         court_id=body.court_id), db.write() as session:
        return row_snapshot(people.grant_role(session, actor, user_id, now=now, **body.model_dump()))


@router.post("/grants/{grant_id}/end")
def end_grant(body: EndGrant, actor: CurrentActor, db: DbDep, now: NowDep, grant_id: IdPath):
    """The grant counts until the date given (today or later); it is kept, ended."""
    with db.write() as session:
        return row_snapshot(people.end_grant(session, actor, grant_id, ends_on=body.ends_on, why=body.why, now=now))


@router.get("/courts/{court_id}/policies/{name}")
def get_policy(actor: CurrentActor, db: DbDep, court_id: IdPath, name: PolicyName, division_id: IdQuery = None):
    """The policy in force at the court (or its division `division_id`, where the policy allows division scope),
    its own override, the keys locked above it, and its saved versions."""
    with db.read() as session:
        v = overrides.view(session, actor, court_id, name, division_id)
        return jsonable({"name": name, "court_id": court_id, "division_id": division_id, "effective": v.effective,
                         "override": v.own,
                         "locked_keys": v.locked, "versions": [row_snapshot(x) for x in v.versions]})


def _changes(changes) -> list[dict]:
    return jsonable([{"key": c.key, "before": c.before, "after": c.after} for c in changes])


@router.post("/courts/{court_id}/policies/{name}/check")
def check_override(body: Override, actor: CurrentActor, db: DbDep, court_id: IdPath, name: PolicyName,
                   division_id: IdQuery = None):
    """Validate an override with the policy's own schema (422 naming the key) and show its diff; nothing is saved."""
    overrides.refuse_unknown(name)
    with db.read() as session:
        return {"changes": _changes(overrides.propose(session, actor, court_id, name, body.parsed(name),
                                                      division_id).changes)}


def what_if_public(result: WhatIf) -> dict:
    return jsonable({"policy": result.name, "court": result.court_code, "from": result.start, "to": result.end,
                     "replayed": result.replayed, "changes": _changes(result.changes),
                     "totals": [vars(s) | {"rows": []} for s in result.totals],
                     "courts": [{"court": c.court_code, "name": c.court_name,
                                 "sections": [vars(s) | {"rows": [vars(r) for r in s.rows]} for s in c.sections]}
                                for c in result.courts]})


@router.post("/courts/{court_id}/policies/{name}/what-if")
def run_what_if(body: WhatIfBody, actor: CurrentActor, db: DbDep, now: NowDep, court_id: IdPath, name: PolicyName,
                division_id: IdQuery = None):
    """What the override would have changed over the last N months (read-only: nothing written, nothing sent)."""
    overrides.refuse_unknown(name)
    with db.read() as session:
        return what_if_public(what_if(session, actor, court_id, name, body.parsed(name), months=body.months,
                                      as_of=local_today(now), division_id=division_id))


@router.post("/courts/{court_id}/policies/{name}/versions", status_code=201)
def save_override(body: SaveOverride, actor: CurrentActor, db: DbDep, now: NowDep, court_id: IdPath,
                  name: PolicyName, division_id: IdQuery = None):
    """Keep the override as a new version, effective from its date (today or later), traced with who and why."""
    overrides.refuse_unknown(name)
    with db.write() as session:
        return row_snapshot(overrides.save(session, actor, court_id, name, body.parsed(name),
                                           effective_from=body.effective_from, why=body.why, now=now,
                                           locks=body.locks, division_id=division_id))
