"""What the assessment's results are read for: the leaders' caseloads published inside the court, the
courts' and divisions' results against their targets, the 双排名 (only where the policy switches
rankings on), and the lists personnel uses (award, promotion and interview candidates), each entry
linked to the person's dossier, with an Excel export.
"""
import io

from sqlalchemy import select

import i18n
from policies.periods import Period
from services.assessment.queries import ranking, visible_court_ids
from services.kernel.access import court_path
from services.kernel.actor import Actor
from services.kernel.errors import NotFound, Refused
from services.kernel.policy import policy
from store.models import AssessmentRecord, Court, Division, LeaderCaseload, ScoreItem, UnitResult, User

LIST_READERS = frozenset({"personnel", "president", "vice_president", "committee", "trial_office"})
LISTS = ("award", "promotion", "interview")  # words: the catalog's `list_<name>`; schemes' `scheme.<scheme>`


def court_of_the_actor(session, actor: Actor, court_id: int | None) -> int:
    """The court asked for, if it is one of the actor's; else the actor's own (NotFound when none)."""
    courts = visible_court_ids(session, actor)
    if court_id is None:
        user = session.get(User, actor.user_id) if actor.user_id else None
        court_id = user.court_id if user and user.court_id in courts else (courts[0] if courts else None)
    if court_id is None or court_id not in courts:
        raise NotFound("not_found.api.court_not_found", court_id=court_id)
    return court_id


def latest_label(session, model, court_id: int) -> str | None:
    return session.execute(select(model.period).where(model.court_id == court_id)
                           .order_by(model.period.desc()).limit(1)).scalar()


def leader_caseloads(session, court_id: int, period: str | None) -> dict:
    """院庭长办案 of a court for a month (the latest recorded when none is given), below-share first."""
    period = period or latest_label(session, LeaderCaseload, court_id)
    L = LeaderCaseload
    rows = session.execute(select(L, User.display_name, Division.name).join(User, User.id == L.user_id)
                           .outerjoin(Division, Division.id == L.division_id)
                           .where(L.court_id == court_id, L.period == period)
                           .order_by(L.met, L.role, User.display_name)).all()
    return {"court_id": court_id, "period": period, "leaders": [
        {"user_id": r.user_id, "name": name, "division_id": r.division_id, "division": division, "role": r.role,
         "share": r.share, "basis": r.basis, "average": r.average, "required": r.required, "own": r.own,
         "closed": r.closed, "met": r.met} for r, name, division in rows]}


def unit_results(session, court_id: int, period: str | None) -> dict:
    """The court's and its divisions' month against their targets."""
    period = period or latest_label(session, UnitResult, court_id)
    names = {("court", c): n for c, n in session.execute(select(Court.id, Court.name).where(Court.id == court_id))}
    names |= {("division", d): n for d, n in session.execute(select(Division.id, Division.name)
                                                              .where(Division.court_id == court_id))}
    rows = session.execute(select(UnitResult).where(UnitResult.court_id == court_id, UnitResult.period == period)
                           .order_by(UnitResult.level, UnitResult.unit_id)).scalars().all()
    return {"court_id": court_id, "period": period, "units": [
        {"level": r.level, "id": r.unit_id, "name": names.get((r.level, r.unit_id), f"#{r.unit_id}"),
         "targets_met": r.targets_met, "targets": r.targets, "score": r.score, "detail": r.detail} for r in rows]}


def rankings(session, court_id: int, period: str | None) -> dict:
    """双排名: divisions by their targets' score and judges by their month's score — refused while the
    court's policy keeps rankings off (the default: the SPC's 2024 revision forbids published rankings)."""
    if not policy(session, court_id, "assessment").rankings:
        raise Refused("refused.assessment.rankings_off")
    results = unit_results(session, court_id, period)
    divisions = sorted((u for u in results["units"] if u["level"] == "division"), key=lambda u: (-u["score"], u["name"]))
    month = Period.parse(results["period"]) if results["period"] else None
    return {"court_id": court_id, "period": results["period"],
            "divisions": [{"rank": i, **u} for i, u in enumerate(divisions, start=1)],
            "judges": ranking(session, court_id, month) if month else []}


def may_read_lists(session, actor: Actor, court_id: int) -> None:
    if not actor.roles_at(court_id, court_path(session, court_id), None) & LIST_READERS:
        raise NotFound("not_found.api.court_not_found", court_id=court_id)


def result_lists(session, court_id: int, period: Period, lang: str | None = None) -> dict:
    """The candidates of each list for the period, from its records (every scheme), best first; each with
    the reason it is on the list, in `lang` (default: the language in use)."""
    rules = policy(session, court_id, "assessment").lists
    R = AssessmentRecord
    rows = session.execute(select(R, User.display_name, User.title, Division.name).join(User, User.id == R.user_id)
                           .outerjoin(Division, Division.id == R.division_id)
                           .where(R.court_id == court_id, R.period_kind == period.kind, R.period == period.label)
                           .order_by(R.score.desc(), User.display_name)).all()
    deducted = _deducted(session, court_id, period)
    lists = {name: [] for name in LISTS}
    for r, name, title, division in rows:
        entry = {"user_id": r.user_id, "name": name, "title": title, "division": division, "scheme": r.scheme,
                 "score": r.score, "met": r.met, "grade": r.grade,
                 "dossier": f"/dossier/{r.user_id}/{period.end.year}"}
        if r.score >= rules.award_min_score or r.grade == "excellent":
            lists["award"].append({**entry, "reason": _reasons(lang, ("list_reason.score", {"score": r.score}), *(
                [("list_reason.excellent", {})] if r.grade == "excellent" else []))})
        if r.score >= rules.promotion_min_score and r.met:
            lists["promotion"].append({**entry, "reason": _reasons(lang, ("list_reason.score", {"score": r.score}),
                                                                   ("list_reason.met", {}))})
        reasons = ([("list_reason.score_below", {"score": r.score, "below": f"{rules.interview_below:g}"})]
                   if r.score < rules.interview_below else []) + ([("list_reason.missed", {})] if not r.met else []) \
            + [("list_reason.deducted", {"item": label}) for label in deducted.get(r.user_id, [])]
        if reasons:
            lists["interview"].append({**entry, "reason": _reasons(lang, *reasons)})
    return {"court_id": court_id, "period": period.label, "lists": lists}


def _reasons(lang: str | None, *reasons: tuple[str, dict]) -> str:
    return i18n.gettext("list_reason.separator", lang).join(i18n.gettext(key, lang, **params) for key, params in reasons)


def _deducted(session, court_id: int, period: Period) -> dict[int, list[str]]:
    months = [Period("month", period.year, m).label for m in range(period.first_month, period.last_month + 1)]
    found: dict[int, list[str]] = {}
    for user_id, label in session.execute(select(ScoreItem.user_id, ScoreItem.label).where(
            ScoreItem.court_id == court_id, ScoreItem.state == "approved", ScoreItem.points < 0,
            ScoreItem.counts_in.in_(months))).all():
        found.setdefault(user_id, []).append(label)
    return found


def lists_xlsx(lists: dict, base_url: str, lang: str | None = None) -> bytes:
    """One sheet per list, in `lang`; each name links to the person's dossier."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for key in LISTS:
        sheet = book.create_sheet(i18n.gettext(f"list_{key}", lang))
        sheet.append([i18n.gettext(k, lang) for k in ("column.name", "column.title", "staff_kind", "divisions", "score", "task_met",
                                                       "grade", "reason", "dossier")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for e in lists["lists"][key]:
            sheet.append([e["name"], e["title"], i18n.label("scheme", e["scheme"], lang), e["division"], e["score"],
                          i18n.gettext("yes", lang) if e["met"] else i18n.gettext("no", lang), i18n.label("grade", e["grade"], lang),
                          e["reason"], i18n.gettext("dossier_link", lang)])
            link = sheet.cell(row=sheet.max_row, column=9)
            link.hyperlink, link.style = f"{base_url.rstrip('/')}{e['dossier']}", "Hyperlink"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
