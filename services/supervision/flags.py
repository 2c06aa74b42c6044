"""四类案件 flags (SPEC §3): by hand, by the automatic rules at filing, by accepted proposals.

A flag is once per (case, category). The first flag of a case opens its supervision, and
the lead judge gets a task to report to the division chief within the policy's days.
"""
from pydantic import Field
from sqlmodel import select

from policies.supervision import CATEGORIES, CaseFacts, matching_rules, report_due
from services.kernel.subjects import Payload
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.cases.facts import on_case
from services.kernel.errors import Refused
from services.kernel.notify import notify_users
from services.kernel.policy import calendar, policy
from store.recipients import holders
from services.kernel.record import record
from services.supervision.gate import on_panel
from services.kernel.tasks import open_task
from services.kernel.access import roles_here
from store.bulk import insert_ignoring_duplicates
from store.models import Case, FourTypeFlag, Supervision
from store.models.case import PENDING_STATES


class FlagCreate(Payload):
    category: int = Field(ge=1, le=4, description="类别（1–4）")
    reason: str = Field(min_length=2, max_length=1000, description="理由")


def flag_case(cmd, case: Case, category: int, source: str, reason: str) -> bool:
    """Flag the case in `category` unless it already is; open its supervision. True if the flag is new."""
    row = dict(case_id=case.id, category=category, source=source, reason=reason, flagged_by=cmd.actor.user_id,
               flagged_on=local_today(cmd.now), created_at=cmd.now)
    if not insert_ignoring_duplicates(cmd.session, FourTypeFlag, [row], ["case_id", "category"]):
        return False
    record(cmd.session, cmd.actor, "cases.four_type_flag", at=cmd.now, subject_kind="cases", subject_id=case.id,
           court_id=case.court_id, why=f"第{category}类（{CATEGORIES[category]}）：{reason}",
           after={"category": category, "source": source})
    supervision = open_supervision(cmd, case)
    notify_users(cmd, "four_type_flagged", [case.lead_judge_id, *holders(cmd.session, "division_chief", case.court_id,
                                                                          case.division_id, on=local_today(cmd.now))],
                 f"four_type_flagged:{case.id}:{category}", case, category=category,
                 reason=reason, report_due=supervision.report_due)
    return True


def open_supervision(cmd, case: Case) -> Supervision:
    """The case's supervision (opened on its first flag) with the lead judge's report task when there is a judge.

    One per case (unique case_id): two flags at once both reach the supervision the first one opened."""
    s = cmd.session
    insert_ignoring_duplicates(s, Supervision, [dict(
        case_id=case.id, court_id=case.court_id, division_id=case.division_id, state="flagged",
        flagged_on=local_today(cmd.now), report_text="", version=1)], ["case_id"])
    supervision = s.exec(select(Supervision).where(Supervision.case_id == case.id)).one()
    if supervision.state == "flagged" and case.lead_judge_id and supervision.report_due is None:
        duty = policy(s, case.court_id, "supervision", case.division_id).report
        supervision.report_due = report_due(duty, local_today(cmd.now), calendar(s, case.court_id))
        s.add(supervision)
        s.flush()
    if supervision.state == "flagged" and case.lead_judge_id:
        open_task(s, kind="four_type_report", title=f"四类案件报告庭长：{case.case_number}", subject_kind="supervisions",
                  subject_id=supervision.id, court_id=case.court_id, division_id=case.division_id,
                  assignee_user_id=case.lead_judge_id, due_on=supervision.report_due, at=cmd.now,
                  dedupe_key=f"four_type_report:{supervision.id}")
    return supervision


def start_report_duty(cmd, case: Case) -> None:
    """When a flagged case gets its lead judge, the report duty starts that day."""
    if cmd.session.exec(select(Supervision.id).where(Supervision.case_id == case.id,
                                                     Supervision.state == "flagged")).first():
        open_supervision(cmd, case)


def flag_at_filing(cmd, case: Case) -> int:
    """The automatic rules, evaluated once as the case is filed; returns the flags added."""
    rules = policy(cmd.session, case.court_id, "supervision", case.division_id).rules
    facts = CaseFacts(case.cause, case.party_count, case.filed_on, case.remanded)
    return sum(flag_case(cmd, case, m.category, m.source, m.reason)
               for m in matching_rules(rules, facts, local_today(cmd.now)))


def _flagging_role(cmd, case: Case) -> str:
    """The role in which the actor may flag this case now, or a refusal naming who may."""
    rules = policy(cmd.session, case.court_id, "supervision", case.division_id)
    roles = roles_here(cmd.session, cmd.actor, _cases(), case) & set(rules.flag_roles)
    if case.state not in PENDING_STATES:
        raise Refused("refused.supervision.case_that_no_longer_flagged_supervision", state=case.state)
    if roles - {"judge", "filing_clerk"}:
        return sorted(roles - {"judge", "filing_clerk"})[0]
    if "filing_clerk" in roles and case.state == "filed":
        return "filing_clerk"
    if "judge" in roles and on_panel(cmd.session, cmd.actor.user_id, case):
        return "judge"
    raise Refused("refused.supervision.case_flagged_hand_filing_clerk_at")


def _cases():
    from services.cases.facts import CASES
    return CASES


def flag_by_hand(db, actor: Actor, case_id: int, data: FlagCreate, now) -> bool:
    """标注四类案件 by a role SPEC §3 names; False when the case already carries that category."""
    def run(cmd, case):
        source = f"manual:{_flagging_role(cmd, case)}"
        return flag_case(cmd, case, data.category, source, data.reason)
    return on_case(db, actor, "cases.four_type_flag", case_id, now, run)


def is_four_type(session, case_id: int) -> bool:
    return session.exec(select(FourTypeFlag.id).where(FourTypeFlag.case_id == case_id)).first() is not None
