"""有信必复 in the daily monitor: a reminder before a petition's answer is due, a warning the
first day it is late, and an escalation a further period later (SPEC §10).

Each is one INSERT … SELECT per recipient kind over open petitions, keyed per (petition,
stage, user), so each goes once and a second run for the same day adds nothing. The days
come from the row (fixed at registration by the court's policy); who is told comes from
the petitions policy in force at each court, courts sharing a policy swept together.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import and_, literal, or_, select

from services.kernel.sweeps import NOTICE_COLUMNS, TASK_COLUMNS, in_courts
from services.kernel.policy import courts_by_policy
from store.bulk import insert_select_ignoring_duplicates, json_object, text_of
from store.models import Case, Notice, Petition, RoleGrant, Task
from store.models.petition import OPEN_PETITION_STATES


def _open():
    return Petition.state.in_(OPEN_PETITION_STATES)


def _context(session):
    return json_object(session, petition_id=Petition.id, petitioner=Petition.petitioner,
                       due_on=text_of(Petition.due_on), case_number=Case.case_number)


def _notices(session, kind: str, stage: str, recipients: list[str], where, now: datetime) -> int:
    """One notice per recipient of the stage, for every petition matching `where`."""
    total = 0
    for recipient in recipients:
        user = Petition.handler_user_id if recipient == "handler" else RoleGrant.user_id
        key = literal(f"petition:{stage}:") + text_of(Petition.id) + literal(":u") + text_of(user)
        stmt = (select(key, literal(kind), user, Petition.court_id, literal("petitions"), Petition.id,
                       _context(session), literal("pending"), literal(0), literal(now), literal(now), literal(""))
                .select_from(Petition).outerjoin(Case, Case.id == Petition.case_id).where(where))
        if recipient == "handler":
            stmt = stmt.where(Petition.handler_user_id.is_not(None))
        else:
            stmt = stmt.join(RoleGrant, and_(RoleGrant.role == recipient, RoleGrant.court_id == Petition.court_id,
                                             or_(RoleGrant.division_id.is_(None),
                                                 RoleGrant.division_id == Petition.division_id),
                                             or_(Petition.named_user_id.is_(None),  # never the person named
                                                 RoleGrant.user_id != Petition.named_user_id)))
        total += insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, stmt, ["dedupe_key"])
    return total


def _by_court_policy(session, sweep) -> int:
    """Run `sweep(rules, where_courts)` once per group of courts sharing a petitions policy."""
    return sum(sweep(rules, in_courts(Petition.court_id, courts))
               for rules, courts in courts_by_policy(session, "petitions"))


def sweep_reminders(session, as_of: date, now: datetime) -> int:
    """From the reminder day to the due date, once: the answer is due soon."""
    def sweep(rules, courts):
        where = and_(_open(), Petition.remind_on <= as_of, Petition.due_on >= as_of, courts)
        return _notices(session, "petition_reminder", "remind", rules.reminder.recipients, where, now)
    return _by_court_policy(session, sweep)


def sweep_warnings(session, as_of: date, now: datetime) -> int:
    """From the first day after the due date, once: the answer is late."""
    def sweep(rules, courts):
        where = and_(_open(), Petition.due_on < as_of, courts)
        return _notices(session, "petition_overdue", "late", rules.warning.recipients, where, now)
    return _by_court_policy(session, sweep)


def sweep_escalations(session, as_of: date, now: datetime) -> int:
    """From the escalation day, once: a supervision task for the policy's role and notices."""
    def sweep(rules, courts):
        where = and_(_open(), Petition.escalate_on <= as_of, courts)
        return (_escalation_tasks(session, rules.escalation, where, as_of, now)
                + _notices(session, "petition_escalation", "escalate", rules.escalation.recipients, where, now))
    return _by_court_policy(session, sweep)


def _escalation_tasks(session, rules, where, as_of: date, now: datetime) -> int:
    task = (select(literal("supervise_late_petition"), literal("督办逾期未复信访：") + Petition.petitioner,
                   literal("petitions"), Petition.id, Petition.court_id, literal(None), literal(rules.task_role),
                   literal(as_of + timedelta(days=rules.task_due_days)), literal("open"),
                   literal("petition_escalation:") + text_of(Petition.id), literal(1),
                   json_object(session, due_on=text_of(Petition.due_on)), literal(now), literal(1))
            .select_from(Petition).where(where))
    return insert_select_ignoring_duplicates(session, Task, TASK_COLUMNS, task, ["dedupe_key"])


SWEEPS = {"petition_reminders": sweep_reminders, "petition_warnings": sweep_warnings,
          "petition_escalations": sweep_escalations}
