"""Need to know: who may read about a person, and who may not read what is said about them.

A person's dossier, assessment records and ladder steps are read by the person, the chain of
superiors over them (the chief of their division, the court's vice presidents and president, and
a higher court's grant that reaches down the court path), personnel and the trial office — never
by colleagues: judges, assistants, clerks and filing clerks of the same court see nothing of it.

A petition naming a person (被反映人) is withheld from that person and from everyone they
supervise, whatever their place: a division chief named in a conduct petition does not see it
even when it is assigned to his division; it goes to the next level up (services/petitions/subject.py).
"""
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, select

from services.kernel.actor import Actor, Grant
from store.models import Court, RoleGrant, User
from store.recipients import in_force

SUPERVISORS = frozenset({"division_chief", "vice_president", "president"})
PERSON_READERS = SUPERVISORS | {"personnel", "trial_office"}


def place_of(session: Session, user: User) -> tuple[int, str, int | None]:
    """Where a person works: (court, its path, division)."""
    court = session.get(Court, user.court_id)
    return user.court_id, court.path if court else "/", user.division_id


def reads_person(session: Session, actor: Actor, user: User) -> bool:
    """The person themselves, or a reader role whose grant covers the person's court and division."""
    if actor.is_system or actor.user_id == user.id:
        return True
    return bool(actor.roles_at(*place_of(session, user)) & PERSON_READERS)


def persons_read(actor: Actor):
    """reads_person in SQL: the ids of the users the actor reads about."""
    if actor.is_system:
        return select(User.id)
    return select(User.id).where(or_(User.id == actor.user_id,
                                     actor.covering(User.court_id, User.division_id, PERSON_READERS)))


def supervisors_of(session: Session, user: User, on: date) -> set[int]:
    """Everyone whose chief, vice president or president grant in force on the court day `on` covers the
    person's place (not the person)."""
    court_id, path, division_id = place_of(session, user)
    rows = session.execute(
        select(RoleGrant.user_id, RoleGrant.role, RoleGrant.court_id, Court.path, RoleGrant.division_id,
               RoleGrant.include_subtree).join(Court, Court.id == RoleGrant.court_id)
        .where(RoleGrant.role.in_(SUPERVISORS), in_force(on),
               or_(RoleGrant.court_id == court_id, RoleGrant.include_subtree.is_(True)))).all()
    return {r.user_id for r in rows
            if r.user_id != user.id and Grant(r.role, r.court_id, r.path, r.division_id,
                                              r.include_subtree).covers(court_id, path, division_id)}


def withheld_named(session: Session, actor: Actor) -> set[int]:
    """The named persons whose petitions the actor may not read: the actor and everyone over them on the day
    the actor's own grants are read for."""
    if actor.is_system:
        return set()
    user = session.get(User, actor.user_id)
    return {actor.user_id} | (supervisors_of(session, user, actor.today) if user else set())


def may_read_petition_about(session: Session, actor: Actor, named_user_id: int | None) -> bool:
    return named_user_id is None or named_user_id not in withheld_named(session, actor)


def free_of_named(session: Session, named_user_id: int | None, user_ids: list[int], on: date) -> list[int]:
    """The users among `user_ids` who may read a petition naming `named_user_id` (recipients, handlers): not the
    person named, nor anyone the person supervises on the court day `on`."""
    if named_user_id is None:
        return list(user_ids)
    named = session.get(User, named_user_id)
    return [u for u in user_ids if u != named_user_id and not (named and _supervises(session, named, u, on))]


def _supervises(session: Session, supervisor: User, user_id: int, on: date) -> bool:
    user = session.get(User, user_id)
    return user is not None and supervisor.id in supervisors_of(session, user, on)
