"""终结本次执行程序 (终本), SPEC §1.6: each item of the enforcement policy's checklist recorded on the case with its
evidence; the division chief approves the closing only when all are (the case machine's validator says which
are missing) and the months since filing have passed; the trial office reviews each such closing; the case
can be resumed (恢复执行)."""
from datetime import timedelta

import i18n
from policies.deadline import add_months
from services.kernel.clock import local_today
from services.kernel.errors import Refused
from services.kernel.policy import policy
from services.kernel.tasks import open_task
from sqlmodel import select
from store.models import EnforcementCheck

METHOD = "终本"


def record_check(cmd, case, item: str, evidence: str, not_applicable: bool) -> None:
    rules = policy(cmd.session, case.court_id, "enforcement").terminate_round
    if case.procedure not in rules.procedures:
        raise Refused("refused.cases.termination_not_for_procedure")
    if item not in rules.items:
        raise Refused("refused.cases.unknown_termination_check", item=item)
    if not_applicable and not rules.items[item].may_not_apply:
        raise Refused("refused.cases.termination_check_always_applies",
                      item=i18n.label("termination_check", item))
    if cmd.session.exec(select(EnforcementCheck.id).where(EnforcementCheck.case_id == case.id,
                                                          EnforcementCheck.item == item)).first():
        raise Refused("refused.cases.termination_check_already_recorded", item=i18n.label("termination_check", item))
    cmd.session.add(EnforcementCheck(case_id=case.id, item=item, recorded_on=local_today(cmd.now), evidence=evidence,
                                     not_applicable=not_applicable, recorded_by=cmd.actor.user_id))


def termination_facts(session, case, now) -> dict:
    """What the machine's `termination_checklist_complete` validator reads: the items not yet recorded (in
    words), and whether the months since filing have passed."""
    rules = policy(session, case.court_id, "enforcement").terminate_round
    done = set(session.exec(select(EnforcementCheck.item).where(EnforcementCheck.case_id == case.id)).all())
    missing = tuple(i18n.label("termination_check", item) for item in rules.items if item not in done)
    return {"termination_procedure": case.procedure in rules.procedures, "missing_checks": missing,
            "months_since_filing": rules.months_since_filing,
            "months_passed": local_today(now) > add_months(case.filed_on, rules.months_since_filing)}


def open_review(cmd, case) -> None:
    """The trial office reviews every 终本 closing."""
    days = policy(cmd.session, case.court_id, "enforcement").terminate_round.review_days
    open_task(cmd.session, kind="review_terminated_enforcement", title=f"终本案件审查：{case.case_number}",
              subject_kind="cases", subject_id=case.id, court_id=case.court_id, assignee_role="trial_office",
              due_on=local_today(cmd.now) + timedelta(days=days), at=cmd.now,
              dedupe_key=f"termination_review:{case.id}:{local_today(cmd.now)}")


def checks_of(session, case_id: int) -> list[EnforcementCheck]:
    return list(session.exec(select(EnforcementCheck).where(EnforcementCheck.case_id == case_id)
                             .order_by(EnforcementCheck.id)).all())
