"""当事人 (SPEC §1.4): a case's parties on record, found by name; a party in many pending cases of the court
suggests serial or related cases (系列案件) to the filing clerk. An identity number is never stored whole:
only its first and last four characters are kept."""
from typing import Literal

from pydantic import Field
from sqlalchemy import func
from sqlmodel import Session, select

from services.kernel.policy import policy
from services.kernel.subjects import Payload
from store.models import Case, Party
from store.models.case import IS_PENDING


class PartyIn(Payload):
    name: str = Field(min_length=1, max_length=200, description="当事人名称")
    kind: Literal["person", "organisation"] = Field(default="person", description="自然人或单位")
    role: Literal["plaintiff", "defendant", "third_party", "appellant", "appellee", "applicant", "respondent",
                  "accused", "private_prosecutor", "victim", "enforcement_applicant",
                  "enforcement_respondent"] = Field(description="诉讼地位")
    id_number: str = Field(default="", max_length=32, description="身份证号码或统一社会信用代码（只保存首尾各四位）")


def mask_id_number(raw: str) -> str:
    """2101…1234 style: the first and last four characters, the rest starred; a short number wholly starred."""
    raw = raw.strip()
    if len(raw) <= 8:
        return "*" * len(raw)
    return raw[:4] + "*" * (len(raw) - 8) + raw[-4:]


def add_parties(session: Session, case: Case, parties: list[PartyIn]) -> None:
    for p in parties:
        session.add(Party(case_id=case.id, court_id=case.court_id, name=p.name.strip(), kind=p.kind, role=p.role,
                          id_number_masked=mask_id_number(p.id_number)))
    if parties:
        case.party_count = len(parties)


def parties_of(session: Session, case_id: int) -> list[Party]:
    return list(session.exec(select(Party).where(Party.case_id == case_id).order_by(Party.id)).all())


def case_ids_of_party(name: str):
    """The cases with a party of exactly this name (the (name, case) index)."""
    return select(Party.case_id).where(Party.name == name.strip())


def serial_suggestions(session: Session, case: Case, shown: int = 10) -> list[tuple[str, int, list[str]]]:
    """For each party of the case also party to at least the policy's number of other pending cases of the
    court: the party's name, how many, and the first `shown` of those cases' numbers (系列案件 the filing clerk
    may relate)."""
    least = policy(session, case.court_id, "assignment").serial_cases.min_other_pending
    names = [p.name for p in parties_of(session, case.id)]
    if not names:
        return []
    others = (select(Party.name, Case.case_number).join(Case, Case.id == Party.case_id)
              .where(Party.name.in_(names), Party.case_id != case.id, Case.court_id == case.court_id, IS_PENDING)).subquery()
    counts = session.exec(select(others.c.name, func.count()).group_by(others.c.name)
                          .having(func.count() >= least).order_by(others.c.name)).all()
    return [(name, n, list(session.exec(select(others.c.case_number).where(others.c.name == name)
                                        .order_by(others.c.case_number).limit(shown)).all()))
            for name, n in counts]
