"""下钻: the cases (or petitions) behind one figure of the 体检表, set by set, listed by the very condition that
counted them (services/assessment/indicator_counts.py: drill_down), so each list's length is its count."""
from sqlmodel import select

from policies.indicators import IndicatorPolicy
from policies.periods import Period
from services.assessment.indicator_counts import drill_down
from store.models import Case, Court, Petition


def figure_lists(session, policy: IndicatorPolicy, name: str, period: Period, level: str, unit_id: int) -> list[dict]:
    """[{"part": numerator|denominator, "set", "petitions": bool, "rows": [...]}] for the indicator's sets."""
    ind = policy.catalogue[name]
    lists = []
    for part, sets in (("numerator", ind.numerator), ("denominator", ind.denominator)):
        for set_name in sets:
            ids = drill_down(session, policy, set_name, period, level, unit_id)
            petitions = policy.case_sets[set_name].of == "petitions"
            lists.append({"part": part, "set": set_name, "petitions": petitions,
                          "rows": _petitions(session, ids) if petitions else _cases(session, ids)})
    return lists


def _cases(session, ids: list[int]) -> list[dict]:
    rows = session.exec(select(Case.id, Case.case_number, Case.procedure, Case.filed_on, Case.closed_on, Court.name)
                        .join(Court, Court.id == Case.court_id).where(Case.id.in_(ids)).order_by(Case.id)).all()
    return [dict(id=r[0], case_number=r[1], procedure=r[2], filed_on=r[3], closed_on=r[4], court=r[5]) for r in rows]


def _petitions(session, ids: list[int]) -> list[dict]:
    rows = session.exec(select(Petition.id, Petition.registered_on, Petition.matter, Petition.state)
                        .where(Petition.id.in_(ids)).order_by(Petition.id)).all()
    return [dict(id=r[0], registered_on=r[1], matter=r[2], state=r[3]) for r in rows]
