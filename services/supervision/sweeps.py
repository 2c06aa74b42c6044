"""The daily monitor's four-type sweep (SPEC §3), set-based and idempotent.

Per group of places sharing a supervision policy (courts; a division with its own override apart) and report
due day: each automatic rule flags the pending cases
it matches (once per case and category), flagged cases get their supervision, the lead judge
a report task due in the policy's days. A report still missing after its due day is the daily chase's
(monitoring.yaml `chase.kinds.four_type_report`: the chief and the president hear, once). Supervision of a
case no longer pending ends.
"""
import hashlib
import json
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import Integer, and_, cast, exists, func, literal, null, or_, select, union, union_all, update
from sqlalchemy.sql import util as sql_util
from sqlmodel import select as select_rows

from policies.supervision import SupervisionPolicy, long_pending_cutoff, report_due
from services.kernel.policy import Scope, calendars_by_court, scopes_by_policy
from store.bulk import insert_select_ignoring_duplicates, json_object, text_of
from store.models import Case, Court, FourTypeFlag, FourTypeRuleCheck, Notice, RoleGrant, Supervision, Task
from store.models.case import IS_PENDING, PENDING_STATES
from store.recipients import in_force

LONG_PENDING = "rule:long_pending"  # the one rule time alone can meet
FLAG_COLUMNS = ["case_id", "category", "source", "reason", "flagged_by", "flagged_on", "created_at"]
SUPERVISION_COLUMNS = ["case_id", "court_id", "division_id", "state", "flagged_on", "report_text", "version"]
TASK_COLUMNS = ["kind", "title", "subject_kind", "subject_id", "court_id", "division_id", "assignee_user_id", "due_on",
                "state", "dedupe_key", "escalation_level", "context", "created_at", "version"]
NOTICE_COLUMNS = ["dedupe_key", "kind", "recipient_user_id", "court_id", "subject_kind", "subject_id", "context",
                  "state", "attempts", "next_attempt_at", "created_at", "last_error"]


def rule_conditions(p: SupervisionPolicy, as_of: date) -> list[tuple[str, int, object, object]]:
    """(source, category, SQL condition on Case, SQL reason) for each automatic rule: the same
    meaning as policies.supervision.matching_rules."""
    r = p.rules
    found = [("rule:party_count", r.party_count.category, Case.party_count >= r.party_count.min_parties,
              literal("当事人") + text_of(Case.party_count) + literal(f"人（≥{r.party_count.min_parties}）"))]
    for rule in r.keywords:
        found.append(("rule:keywords", rule.category, or_(*[Case.cause.contains(w) for w in rule.words]),
                      literal("案由含关键词：") + Case.cause))
    found.append((LONG_PENDING, r.long_pending.category, Case.filed_on <= long_pending_cutoff(r, as_of),
                  literal(f"立案超过{r.long_pending.months}个月未结")))
    found.append(("rule:remanded", r.remanded.category, Case.remanded.is_(True), literal("发回重审案件")))
    return found


def _flags(session, p, scope: Scope, as_of, now) -> int:
    """The automatic rules in one pass over the pending cases: the rule time alone can meet (long pending) over
    all of them, the rules of a case's own facts only over the cases filed since the last check (they were met
    at filing, or by the first check of an imported case). The matching cases are read once (materialized),
    then each rule's flags are taken from those few, in rule order (the first rule of a category gives the
    flag's source, as at filing)."""
    rules = rule_conditions(p, as_of)
    check = _rule_check(session, p, scope)
    unchecked = Case.id > check.last_case_id
    by_time = {source for source, *_ in rules if source == LONG_PENDING}
    meets = [condition if source in by_time else and_(unchecked, condition) for source, _, condition, _ in rules]
    columns = (Case.id, Case.party_count, Case.cause, Case.filed_on, Case.remanded)
    pending = (_cases_in(scope), IS_PENDING)  # each part reads its own index: pending by court and day,
    candidates = union(                                # and the new cases by id
        select(*columns).where(*pending, or_(*[m for (source, *_), m in zip(rules, meets) if source in by_time])),
        select(*columns).where(*pending, unchecked, or_(*[m for (source, *_), m in zip(rules, meets)
                                                           if source not in by_time])),
    ).cte("candidates").prefix_with("MATERIALIZED")
    per_rule = [select(candidates.c.id, literal(category), literal(source), _on(reason, candidates),
                       cast(null(), Integer), literal(as_of), literal(now)).where(_on(meet, candidates))
                for (source, category, _, reason), meet in zip(rules, meets)]
    added = insert_select_ignoring_duplicates(session, FourTypeFlag, FLAG_COLUMNS, union_all(*per_rule),
                                              ["case_id", "category"])
    check.last_case_id = session.exec(select_rows(func.coalesce(func.max(Case.id), 0))).one()
    session.add(check)
    return added


def _cases_in(scope: Scope):
    return scope.where(Case.court_id, Case.division_id)


def _rule_check(session, p: SupervisionPolicy, scope: Scope) -> FourTypeRuleCheck:
    """The group's check of the fact rules; a change of those rules or of the places starts it again."""
    facts = p.rules.model_dump(exclude={"long_pending", "complaint"}, mode="json")
    places = [sorted(scope.courts)] + ([scope.divisions, scope.besides] if scope.divisions or scope.besides else [])
    key = hashlib.sha256(json.dumps([facts, *places], sort_keys=True).encode()).hexdigest()[:32]
    return session.get(FourTypeRuleCheck, key) or FourTypeRuleCheck(rules_key=key)


def _on(expression, candidates):
    """A rule's expression over Case, read from the candidates' columns instead."""
    return sql_util.ClauseAdapter(candidates, equivalents={Case.__table__.c[c.name]: {c} for c in candidates.c}
                                  ).traverse(expression)


def _supervisions(session, scope: Scope, as_of) -> int:
    """A supervision for each pending flagged case that has none (found from the flags, not the pending cases)."""
    unsupervised = select(FourTypeFlag.case_id).where(~exists().where(Supervision.case_id == FourTypeFlag.case_id))
    stmt = select(Case.id, Case.court_id, Case.division_id, literal("flagged"), literal(as_of), literal(""),
                  literal(1)).where(Case.id.in_(unsupervised), _cases_in(scope), IS_PENDING)
    return insert_select_ignoring_duplicates(session, Supervision, SUPERVISION_COLUMNS, stmt, ["case_id"])


def _report_tasks(session, scope: Scope, due: date, now) -> int:
    judged = exists().where(Case.id == Supervision.case_id, Case.lead_judge_id.is_not(None))
    here = scope.where(Supervision.court_id, Supervision.division_id)
    session.exec(update(Supervision).where(here, Supervision.state == "flagged",
                                           Supervision.report_due.is_(None), judged)
                 .values(report_due=due, version=Supervision.version + 1))
    stmt = (select(literal("four_type_report"), literal("四类案件报告庭长：") + Case.case_number, literal("supervisions"),
                   Supervision.id, Case.court_id, Case.division_id, Case.lead_judge_id, Supervision.report_due,
                   literal("open"), literal("four_type_report:") + text_of(Supervision.id), literal(0),
                   json_object(session, case_id=Case.id), literal(now), literal(1))
            .join(Case, Case.id == Supervision.case_id)
            .where(here, Supervision.state == "flagged", Case.lead_judge_id.is_not(None),
                   Supervision.report_due.is_not(None)))
    return insert_select_ignoring_duplicates(session, Task, TASK_COLUMNS, stmt, ["dedupe_key"])


def _notice(session, key, kind, user_col, ctx, now):
    return select(key, literal(kind), user_col, Case.court_id, literal("cases"), Case.id, ctx, literal("pending"),
                  literal(0), literal(now), literal(now), literal(""))


def _role_at(role: str, as_of: date):
    """Grants of `role` in force on `as_of` in the case's court, court-wide or for the case's division."""
    return and_(RoleGrant.role == role, RoleGrant.court_id == Case.court_id,
                or_(RoleGrant.division_id.is_(None), RoleGrant.division_id == Case.division_id), in_force(as_of))


def _flag_notices(session, scope: Scope, as_of, now) -> int:
    """Today's new flags: the lead judge and the division chief hear of them (same keys as a flag by hand)."""
    base = literal("four_type_flagged:") + text_of(Case.id) + literal(":") + text_of(FourTypeFlag.category)
    ctx = json_object(session, case_number=Case.case_number, category=FourTypeFlag.category,
                      reason=FourTypeFlag.reason, report_due=text_of(Supervision.report_due))
    today = and_(_cases_in(scope), FourTypeFlag.flagged_on == as_of, FourTypeFlag.flagged_by.is_(None))
    joined = lambda stmt: (stmt.select_from(FourTypeFlag).join(Case, Case.id == FourTypeFlag.case_id)  # noqa: E731
                           .join(Supervision, Supervision.case_id == Case.id))
    judge = joined(_notice(session, base + literal(":u") + text_of(Case.lead_judge_id), "four_type_flagged",
                           Case.lead_judge_id, ctx, now)).where(today, Case.lead_judge_id.is_not(None))
    chief = joined(_notice(session, base + literal(":u") + text_of(RoleGrant.user_id), "four_type_flagged",
                           RoleGrant.user_id, ctx, now)).join(RoleGrant, _role_at("division_chief", as_of)).where(today)
    return sum(insert_select_ignoring_duplicates(session, Notice, NOTICE_COLUMNS, s, ["dedupe_key"])
               for s in (judge, chief))


def _end_finished(session, as_of, now) -> None:
    """Supervision ends when the case is decided (the decide event does it); also for cases otherwise closed."""
    done = exists().where(Case.id == Supervision.case_id, Case.state.not_in(PENDING_STATES))
    ended = select(Supervision.id).where(Supervision.state != "ended", done)
    session.exec(update(Task).where(Task.subject_kind == "supervisions", Task.state == "open",
                                    Task.subject_id.in_(ended)).values(state="cancelled", done_at=now,
                                                                       version=Task.version + 1))
    session.exec(update(Supervision).where(Supervision.state != "ended", done)
                 .values(state="ended", ended_on=as_of, version=Supervision.version + 1))


def policy_groups(session, as_of: date) -> list[tuple[SupervisionPolicy, date, Scope]]:
    """The places grouped by the supervision policy in force (`scopes_by_policy`) and the report due day it gives
    for `as_of` by each court's calendar."""
    every_court = session.exec(select_rows(Court.id).order_by(Court.id)).all()
    calendar_of = calendars_by_court(session, every_court)
    groups: dict[tuple[int, date], tuple[SupervisionPolicy, Scope, list[int]]] = {}
    for n, (p, scope) in enumerate(scopes_by_policy(session, "supervision")):
        for court_id in scope.courts or every_court:
            due = report_due(p.report, as_of, calendar_of[court_id])
            groups.setdefault((n, due), (p, scope, []))[2].append(court_id)
    return [(p, due, replace(scope, courts=tuple(sorted(courts)))) for (_, due), (p, scope, courts) in groups.items()]


def sweep_four_type(session, as_of: date, now: datetime) -> int:
    """Rows added: flags, supervisions, report tasks, notices of new flags."""
    _end_finished(session, as_of, now)
    total = 0
    for p, due, scope in policy_groups(session, as_of):
        total += _flags(session, p, scope, as_of, now) + _supervisions(session, scope, as_of)
        total += _report_tasks(session, scope, due, now) + _flag_notices(session, scope, as_of, now)
    return total

