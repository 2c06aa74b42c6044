"""courtflow people: the court's people from the command line (as the operator: traced as `system`).

    courtflow people invite --court CODE --username U --name NAME [--staff-no NO] [--division NAME] [--role ROLE]
    courtflow people reset USERNAME                      a new one-time link to set the password
    courtflow people grant USERNAME --role ROLE --court CODE [--division NAME] [--from DAY] [--until DAY]
    courtflow people deactivate USERNAME --why TEXT
    courtflow people division --court CODE --name NAME --category CATEGORY
No password is ever typed here: an invitation or reset prints the link the person uses to choose one.
"""
import argparse

from sqlmodel import select

from cli.common import database, fail, moment_of, parse_day
from services.admin import invitations, people
from services.kernel.actor import Actor
from services.kernel.errors import Forbidden, Invalid, NotFound, Refused
from store.models import Court, Division, User


def people_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        with database().write() as session:
            print(ACTIONS[args.action](session, args, moment_of(None)))
        return 0
    except (Invalid, NotFound, Forbidden, Refused) as exc:
        return fail(str(exc))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="courtflow people", description="courts' people, divisions and role grants")
    p.add_argument("action", choices=["invite", "reset", "grant", "deactivate", "division"])
    p.add_argument("username", nargs="?", default="")
    p.add_argument("--court")
    p.add_argument("--name")
    p.add_argument("--staff-no")
    p.add_argument("--division")
    p.add_argument("--role")
    p.add_argument("--category", default="")
    p.add_argument("--from", dest="starts_on", type=parse_day)
    p.add_argument("--until", dest="ends_on", type=parse_day)
    p.add_argument("--why", default="")
    return p


def _court(session, code: str | None) -> Court:
    court = session.exec(select(Court).where(Court.code == (code or ""))).first()
    if court is None:
        raise NotFound("not_found.admin.court_code", code=code)
    return court


def _division(session, court: Court, name: str | None) -> int | None:
    if not name:
        return None
    division = session.exec(select(Division).where(Division.court_id == court.id, Division.name == name)).first()
    if division is None:
        raise NotFound("not_found.admin.division_name", code=court.code, name=name)
    return division.id


def _user(session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.lower())).first()
    if user is None:
        raise NotFound("not_found.admin.username", username=username)
    return user


def _invite(session, args, now) -> str:
    court, system = _court(session, args.court), Actor.system()
    division_id = _division(session, court, args.division)
    user = people.create_user(session, system, people.NewUser(
        username=args.username, display_name=args.name or args.username, court_id=court.id,
        staff_no=args.staff_no, division_id=division_id), now)
    if args.role:
        people.grant_role(session, system, user.id, role=args.role, court_id=court.id, division_id=division_id, now=now)
    return f"{user.username}: /invitation/{invitations.issue(session, system, user.id, purpose='invite', now=now)}"


def _reset(session, args, now) -> str:
    user = _user(session, args.username)
    return f"{user.username}: /invitation/{invitations.issue(session, Actor.system(), user.id, purpose='reset', now=now)}"


def _grant(session, args, now) -> str:
    user, court = _user(session, args.username), _court(session, args.court)
    grant = people.grant_role(session, Actor.system(), user.id, role=args.role or "", court_id=court.id,
                              division_id=_division(session, court, args.division), starts_on=args.starts_on,
                              ends_on=args.ends_on, now=now)
    return f"{user.username}: {grant.role} at {court.code} ({grant.starts_on or '…'} – {grant.ends_on or '…'})"


def _deactivate(session, args, now) -> str:
    user = people.deactivate_user(session, Actor.system(), _user(session, args.username).id, why=args.why, now=now)
    return f"{user.username}: deactivated"


def _new_division(session, args, now) -> str:
    court = _court(session, args.court)
    division = people.create_division(session, Actor.system(), court.id, name=args.name or "",
                                      category=args.category, now=now)
    return f"{court.code}: division {division.name} ({division.id})"


ACTIONS = {"invite": _invite, "reset": _reset, "grant": _grant, "deactivate": _deactivate, "division": _new_division}
