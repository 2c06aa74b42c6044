"""Cases as a subject: who may fire each event of the case machine, and what each one records."""
from datetime import date

import i18n

from sqlalchemy import insert
from sqlmodel import select

from policies.roles import LEADERS
from services.cases import payloads as p
from services.cases.assignment import (assign_by_rule, assign_designated, assign_related, assign_to_leader,
                                      judge_choices)
from services.kernel.clock import local_today
from services.cases.clock import days_left, recompute_deadline
from services.kernel.errors import Invalid, Refused
from services.kernel.events import publish
from services.cases.events import DECIDE_GATE, CaseAssigned, CaseDecided
from services.cases.extensions import create_extension_request
from services.cases import termination
from services.cases.panels import ground_choices, member_choices, panel_seats, seat_panel, sit_with_assessors
from services.cases.nodes import case_nodes, complete_by_event, drop_node, drop_open_nodes, plan_nodes, record_node
from policies.nodes import PUBLICATION
from services.kernel.notify import notify_users
from services.cases.party_notices import inform_parties
from services.kernel.policy import policy
from services.cases.reassignments import create_reassignment_request
from services.kernel.registry import current
from services.kernel.subjects import EventSpec, SubjectKind
from services.kernel.access import roles_here
from statemachines.case import CaseMachine
from store.models import Case, ExcludedPeriod, ProceduralEvent

WORKERS = frozenset({"judge", "assistant", "clerk"})
ASSIGNERS = LEADERS | {"filing_clerk"}


def _lead_or_helper(session, actor, case, now):
    roles = roles_here(session, actor, CASES, case)
    if roles & {"assistant", "clerk"} or actor.user_id == case.lead_judge_id:
        return None
    return Refused("refused.cases.only_lead_judge_case_may_do")


def _lead_or_chief(session, actor, case, now):
    """SPEC §1: the lead judge asks to hand the case on; the division chief may initiate it. A colleague may not."""
    if actor.user_id == case.lead_judge_id or "division_chief" in roles_here(session, actor, CASES, case):
        return None
    return Refused("refused.cases.only_lead_judge_case_may_request")


def _lead_only(session, actor, case, now):
    return None if actor.user_id == case.lead_judge_id else Refused("refused.cases.only_lead_judge_case_may_do_2")


def _day(case: Case, value: date | None, now, field: str = "on") -> date:
    day = value or local_today(now)
    if day < case.filed_on or day > local_today(now):
        raise Invalid(f"payload.{field}", "invalid.cases.before_filing_date_future", day=day)
    return day


def _assign(cmd, case, data: p.Assign):
    today = local_today(cmd.now)
    if data.assessor_ground:
        sit_with_assessors(cmd.session, case, data.assessor_ground)
    if data.method == "designated":
        if not roles_here(cmd.session, cmd.actor, CASES, case) & set(
                policy(cmd.session, case.court_id, "assignment", case.division_id).designated.approver_roles):
            raise Refused("refused.cases.designated_assignment_made_only_approving_division")
        if not data.judge_id or len(data.reason) < 2:
            raise Invalid("payload.reason", "invalid.cases.designated_assignment_needs_judge_reason")
        assign_designated(cmd.session, case, data.judge_id, data.reason, cmd.actor.user_id, today)
    elif data.method == "leader":
        assign_to_leader(cmd.session, case, data.reason, cmd.now)
    elif data.method == "related":
        if not assign_related(cmd.session, case, today):
            raise Refused("refused.cases.case_has_no_related_case_with")
    else:
        assign_by_rule(cmd.session, case, cmd.now)
    notify_users(cmd, "case_assigned", [case.lead_judge_id], f"assigned:{case.id}:{case.lead_judge_id}", case)
    seat_panel(cmd.session, case, today, cmd.now)
    plan_nodes(cmd.session, case, "panel_fixed", today, cmd.now)
    complete_by_event(cmd.session, case, "assigned", today, cmd.actor.user_id, cmd.now)
    publish(cmd, CaseAssigned(case))


def _step(kind: str):
    def apply(cmd, case, data: p.Step):
        # a Core insert: the step's row is written, never read back here (the ORM's object and flush cost
        # a fifth of a step's command)
        cmd.session.connection().execute(insert(ProceduralEvent), dict(
            case_id=case.id, kind=kind, on=_day(case, data.on, cmd.now), note=data.note, actor_id=cmd.actor.user_id))
        if kind == "hearing_adjourned":
            case.adjournments += 1
    return apply


def _open_period(cmd, case, kind: str, start: date, reason: str, field: str):
    open_ = cmd.session.exec(select(ExcludedPeriod).where(
        ExcludedPeriod.case_id == case.id, ExcludedPeriod.kind == kind, ExcludedPeriod.end.is_(None))).first()
    if open_:
        raise Refused("refused.cases.excluded_period_already_open_since", kind=kind, start=open_.start)
    cmd.session.add(ExcludedPeriod(case_id=case.id, kind=kind, start=_day(case, start, cmd.now, field), reason=reason))
    cmd.session.flush()
    recompute_deadline(cmd.session, case)
    inform_parties(cmd, case, "exclusion_opened", kind=kind, start=start)


def _close_period(cmd, case, kind: str, end: date, field: str):
    period = cmd.session.exec(select(ExcludedPeriod).where(
        ExcludedPeriod.case_id == case.id, ExcludedPeriod.kind == kind, ExcludedPeriod.end.is_(None))).first()
    if period is None:
        raise Refused("refused.cases.no_excluded_period_open", kind=kind)
    if _day(case, end, cmd.now, field) < period.start:
        raise Invalid(f"payload.{field}", "invalid.cases.period_cannot_end_before_it_started", start=period.start)
    period.end = end
    cmd.session.add(period)
    cmd.session.flush()
    recompute_deadline(cmd.session, case)
    inform_parties(cmd, case, "exclusion_closed", kind=kind, start=period.start, end=end,
                   deadline=case.deadline)


def _convert(cmd, case, data: p.Reason):
    """简易程序转普通程序 (CPL art. 170): the limit counts from filing. A panel procedure seats its panel around
    the lead judge, whole or refused (a division short of judges), and the parties are told in writing of the
    panel and the new limit (the SPC's CPL interpretation, art. 258), within 3 days (the `panel_told` node)."""
    case.procedure, case.variant = "civil-first-ordinary", None
    recompute_deadline(cmd.session, case)
    today = local_today(cmd.now)
    if not seat_panel(cmd.session, case, today, cmd.now, whole=True):
        return
    plan_nodes(cmd.session, case, "panel_fixed", today, cmd.now)
    lead, *members = [name for _, name in panel_seats(cmd.session, case)]
    inform_parties(cmd, case, "converted_to_ordinary", judge=lead, members="、".join(members),
                   deadline=case.deadline)


def _decide(cmd, case, data: p.Decide):
    case.decided_on = _day(case, data.decided_on, cmd.now, "decided_on")
    case.decision_doc_ref = data.document_ref or case.decision_doc_ref
    plan_nodes(cmd.session, case, "decided", case.decided_on, cmd.now)
    if case.procedure in policy(cmd.session, case.court_id, "nodes").effective_on_decision:
        plan_nodes(cmd.session, case, "took_effect", case.decided_on, cmd.now)
    publish(cmd, CaseDecided(case))


def _finish(method_field: str | None = None, method: str | None = None, doc_field: str = "decision_doc_ref"):
    def apply(cmd, case, data):
        day_field = "closed_on" if hasattr(data, "closed_on") else "on"
        case.closed_on = _day(case, getattr(data, day_field), cmd.now, day_field)
        case.closing_method = getattr(data, method_field) if method_field else method
        case.decision_doc_ref = getattr(data, doc_field, "") or case.decision_doc_ref
        from services.kernel.tasks import cancel_open_tasks
        cancel_open_tasks(cmd.session, "cases", case.id, cmd.now)
        drop_open_nodes(cmd.session, case, case.closed_on, cmd.now)
        if case.closing_method != "移送":  # a transferred case is archived by the court it goes to
            plan_nodes(cmd.session, case, "closed", case.closed_on, cmd.now)
    return apply


def _archive(cmd, case, data: p.Archive):
    complete_by_event(cmd.session, case, "archived", _day(case, data.on, cmd.now), cmd.actor.user_id, cmd.now)


def _record_check(cmd, case, data: p.RecordCheck):
    termination.record_check(cmd, case, data.item, data.evidence, data.not_applicable)


def _approve_termination(cmd, case, data: p.ApproveTermination):
    _finish(method=termination.METHOD, doc_field="ruling_ref")(cmd, case, data)
    termination.open_review(cmd, case)


def _resume_enforcement(cmd, case, data: p.Reason):
    """恢复执行: the case runs again; archiving it waits for its next closing."""
    drop_node(cmd.session, case.id, "archived", local_today(cmd.now), cmd.now)
    case.closed_on, case.closing_method = None, None


def _chief_only(session, actor, case, now):
    if "division_chief" in roles_here(session, actor, CASES, case):
        return None
    return Refused("refused.cases.only_division_chief_approves_termination")


def _check_choices(session, case, on):
    items = policy(session, case.court_id, "enforcement").terminate_round.items
    return {"item": [(code, i18n.label("termination_check", code)) for code in items]}


def _record_node(cmd, case, data: p.RecordNode):
    if data.node == PUBLICATION:
        raise Refused("refused.cases.publication_recorded_by_publish")
    record_node(cmd.session, case, data.node, _day(case, data.on, cmd.now), cmd.actor.user_id, cmd.now,
                note=data.note)


def _note_trigger(cmd, case, data: p.NoteTrigger):
    """A fact that plans nodes: its day is not in the future, except a hearing's (scheduled ahead)."""
    on = data.on if data.trigger == "hearing_scheduled" and data.on > local_today(cmd.now) else _day(case, data.on, cmd.now)
    if not plan_nodes(cmd.session, case, data.trigger, on, cmd.now):
        raise Refused("refused.cases.trigger_plans_no_node", trigger=i18n.label("node_trigger", data.trigger))


def _publish(cmd, case, data: p.Publish):
    record_node(cmd.session, case, PUBLICATION, _day(case, data.on, cmd.now), cmd.actor.user_id, cmd.now,
                reference=data.reference)


def _exempt_publication(cmd, case, data: p.ExemptPublication):
    """不公布: a ground from the 2016 rules' list; `other` only with a reason, recorded by the division chief
    (their approval)."""
    if data.ground not in p.EXEMPTION_GROUNDS:
        raise Refused("refused.cases.publication_exemption_needs_ground")
    chief = "division_chief" in roles_here(cmd.session, cmd.actor, CASES, case)
    if data.ground == "other" and (len(data.reason.strip()) < 2 or not chief):
        raise Refused("refused.cases.publication_exemption_other_needs_chief")
    record_node(cmd.session, case, PUBLICATION, local_today(cmd.now), cmd.actor.user_id, cmd.now,
                exemption_ground=data.ground, note=data.reason,
                approved_by=cmd.actor.user_id if data.ground == "other" else None)


def _lead_helper_or_chief(session, actor, case, now):
    if "division_chief" in roles_here(session, actor, CASES, case):
        return None
    return _lead_or_helper(session, actor, case, now)


def _open_node_choices(session, case, on):
    return {"node": [(n.node, i18n.label("node", n.node)) for n in case_nodes(session, case.id)
                     if n.done_on is None and n.node != PUBLICATION]}


def _ground_choices(session, case, on):
    return {"ground": [(g, i18n.label("option", g, within="ground")) for g in p.EXEMPTION_GROUNDS]}


def _adjournment_facts(session, case, now):
    """What adjourning checks: how often the procedure allows it (the only case rule the policy gives a machine;
    other events read no policy)."""
    limits = policy(session, case.court_id, "time_limits")
    return {"max_adjournments": limits.procedure(case.procedure).max_adjournments}


def _gated_facts(session, case, now):
    """Deciding and deliberating look at the gates higher lifecycles put on it (supervision: reports,
    meetings, the committee, 阅核)."""
    return current().gate_facts(DECIDE_GATE, session, case)


PUBLIC_FIELDS = ("case_number", "cause", "procedure", "track", "court_id", "division_id", "lead_judge_id",
                 "party_count", "filed_on", "deadline", "unrolled_deadline", "calendar_complete", "clock_stopped",
                 "excluded_days", "extension_count", "adjournments", "decided_on", "closed_on", "closing_method",
                 "decision_doc_ref")
"""What anyone who may see a case sees of it: the case page and the case list."""


def case_public(case: Case) -> dict:
    return {name: getattr(case, name) for name in PUBLIC_FIELDS}


def _spec(name, roles, payload=p._Payload, may=None, apply=None, facts=None, choices=None):
    return EventSpec(name, frozenset(roles), payload, may=may, apply=apply, facts=facts, choices=choices)


EVENTS = [
    _spec("assign", ASSIGNERS, p.Assign, apply=_assign, choices=lambda s, case, on: {
        "judge_id": judge_choices(s, case, on), "assessor_ground": ground_choices(s, case)}),
    _spec("start_trial", WORKERS, may=_lead_or_helper),
    _spec("serve", WORKERS, p.Step, _lead_or_helper, _step("served")),
    _spec("hold_hearing", WORKERS, p.Step, _lead_or_helper, _step("hearing_held")),
    _spec("adjourn_hearing", WORKERS, p.Step, _lead_or_helper, _step("hearing_adjourned"), _adjournment_facts),
    _spec("deliberate", WORKERS, p.Step, _lead_or_helper, _step("deliberated"), _gated_facts),
    _spec("open_exclusion", WORKERS, p.OpenExclusion, _lead_or_helper,
          lambda c, case, d: _open_period(c, case, d.kind, d.start, d.reason, "start")),
    _spec("close_exclusion", WORKERS, p.CloseExclusion, _lead_or_helper,
          lambda c, case, d: _close_period(c, case, d.kind, d.end, "end")),
    _spec("suspend", WORKERS, p.Suspend, _lead_or_helper,
          lambda c, case, d: _open_period(c, case, "中止", d.start, d.reason, "start")),
    _spec("resume", WORKERS, p.Resume, _lead_or_helper,
          lambda c, case, d: _close_period(c, case, "中止", d.end, "end")),
    _spec("request_extension", {"judge"}, p.RequestExtension, _lead_only,
          lambda c, case, d: create_extension_request(c, case, d)),
    _spec("convert_to_ordinary", {"judge"}, p.Reason, _lead_only, _convert),
    _spec("request_reassignment", {"judge", "division_chief"},
          p.RequestReassignment, _lead_or_chief, lambda c, case, d: create_reassignment_request(c, case, d),
          choices=lambda s, case, on: {"to_judge_id": judge_choices(s, case, on, exclude=case.lead_judge_id),
                                   "member_id": member_choices(s, case)}),
    _spec("submit_for_review", {"judge"}, may=_lead_only),
    _spec("return_from_review", LEADERS),
    _spec("decide", {"judge"}, p.Decide, _lead_only, _decide, _gated_facts),
    _spec("close", WORKERS, p.Close, _lead_or_helper, _finish("closing_method")),
    _spec("withdraw", WORKERS, p.Withdraw, _lead_or_helper,
          _finish(method="撤诉", doc_field="ruling_ref")),
    _spec("mediate", WORKERS, p.Mediate, _lead_or_helper,
          _finish(method="调解", doc_field="document_ref")),
    _spec("transfer", {"judge", "filing_clerk"}, p.Transfer, apply=_finish(method="移送")),
    _spec("archive", {"clerk", "filing_clerk"}, p.Archive, apply=_archive),
    _spec("record_check", WORKERS, p.RecordCheck, _lead_or_helper, _record_check, choices=_check_choices),
    _spec("approve_termination", {"division_chief"}, p.ApproveTermination, _chief_only, _approve_termination,
          termination.termination_facts),
    _spec("resume_enforcement", WORKERS | {"division_chief"}, p.Reason, _lead_helper_or_chief, _resume_enforcement),
    _spec("record_node", WORKERS, p.RecordNode, _lead_or_helper, _record_node, choices=_open_node_choices),
    _spec("note_trigger", WORKERS, p.NoteTrigger, _lead_or_helper, _note_trigger),
    _spec("publish", WORKERS, p.Publish, _lead_or_helper, _publish),
    _spec("exempt_publication", WORKERS | {"division_chief"}, p.ExemptPublication, _lead_helper_or_chief,
          _exempt_publication, choices=_ground_choices),
]

CASES = SubjectKind(
    name="cases", model=Case, machine=CaseMachine, public=case_public, title=lambda c: c.case_number, events={e.name: e for e in EVENTS},
)
__all__ = ["CASES", "days_left"]
