"""The due process of a mandatory or assessment exit (SPEC §6): what each event of
statemachines/quota_exit.DueProcessMachine records, who may fire it, and the facts its guards read."""
from sqlmodel import select

from services.quota_exit import payloads as p
from services.kernel.clock import local_today
from services.quota_exit.documents import keep_document
from services.quota_exit.effect import leave_quota, restore_quota, start_observation
from services.quota_exit.labels import in_chinese
from services.quota_exit.sweeps import record_lapsed
from services.quota_exit.notices import notify_exit
from services.quota_exit.steps import (attach_all, done, dossier, judge_submissions, only, submit, submit_file, task,
                                 the_judge)
from services.quota_exit.windows import end_window, open_window, window_ends
from services.kernel.policy import policy
from store.recipients import holders
from services.kernel.subjects import EventSpec
from services.kernel.tasks import cancel_open_tasks
from store.models import Court, ExitSubmission


def facts(session, row, now) -> dict:
    unattached = session.exec(select(ExitSubmission.id).where(
        ExitSubmission.proceeding_id == row.id, ExitSubmission.party == "judge",
        ExitSubmission.attached_on.is_(None))).all()
    return {"today": local_today(now), "windows": window_ends(session, row.id), "unattached": len(unattached)}


def _rules(cmd, row):
    return policy(cmd.session, row.court_id, "quota_exit")


def _people(cmd, row, role: str, court_id=None) -> list[int]:
    return holders(cmd.session, role, court_id or row.court_id)


# --- notice, service, the statement period ---------------------------------------------------

def _add_evidence(cmd, row, data: p.Evidence):
    if row.state == "opened":
        submit_file(cmd, row, data, "grounds_evidence", "personnel")
    else:
        submit_file(cmd, row, data, "evidence", "judge", late=row.state == "committee_review")


def _notify(cmd, row, data: p.Note):
    rules, today = _rules(cmd, row), local_today(cmd.now)
    row.notified_on = today
    grounds_evidence = [s for s in _submissions(cmd, row) if s.kind == "grounds_evidence"]
    statement, recon, higher = (rules.windows[k] for k in ("statement", "reconsideration_application",
                                                            "higher_review_application"))
    keep_document(cmd, row, "notice", ground_zh=_ground(row), grounds_text=row.grounds_text,
                  evidence=[{"filename": s.filename, "sha256": s.sha256} for s in grounds_evidence],
                  statement_length=statement.length, statement_days=statement.days,
                  reconsideration_length=recon.length, higher_length=higher.length)
    notify_exit(cmd, "exit_notice", [row.judge_id], f"exit_notice:{row.id}", row, grounds_text=row.grounds_text,
                statement_days=statement.length, evidence=len(grounds_evidence))
    done(cmd, row, "exit_notify")
    task(cmd, row, "exit_acknowledge", "签收员额退出程序告知书", user=row.judge_id)
    dossier(cmd, row, "notified", "员额退出程序告知书已送达", ground=row.ground)


def _start_statement(cmd, row, data):
    window = open_window(cmd.session, row, "statement", local_today(cmd.now))
    done(cmd, row, "exit_acknowledge")
    task(cmd, row, "exit_statement", "陈述、举证、申辩（可放弃）", user=row.judge_id, due=window.closes_on)
    notify_exit(cmd, "exit_window_opened", [row.judge_id], f"exit_window:{row.id}:statement", row,
                window="statement", closes_on=window.closes_on)


def _statement(cmd, row, data: p.Statement):
    submit(cmd, row, "statement", "judge", data.text, late=row.state == "committee_review")


def _ask_hearing(cmd, row, data: p.Reason):
    row.hearing_requested = True
    submit(cmd, row, "hearing_request", "judge", data.reason)
    _tell_officials(cmd, row, "hearing_request")


def _waive(cmd, row, data: p.OptionalReason):
    today = local_today(cmd.now)
    row.waived_on = today
    submit(cmd, row, "waiver", "judge", data.reason)
    end_window(cmd.session, row.id, "statement", "waived", today)
    done(cmd, row, "exit_statement")
    task(cmd, row, "exit_start_review", "开始审议员额退出（法官已放弃陈述申辩）", role="committee")
    _tell_officials(cmd, row, "waiver")


def _tell_officials(cmd, row, what: str, court_id=None):
    people = _people(cmd, row, "personnel", court_id) + _people(cmd, row, "committee", court_id)
    notify_exit(cmd, "exit_judge_filed", people, f"exit_filed:{row.id}:{what}", row, what=what,
                what_zh=in_chinese("exit_submission", what))


# --- the committee -----------------------------------------------------------------------------

def _start_review(cmd, row, data: p.Note):
    today = local_today(cmd.now)
    record_lapsed(cmd.session, today, cmd.now, proceeding_id=row.id)  # the period has ended: recorded now
    attached = attach_all(cmd, row)
    window = open_window(cmd.session, row, "committee_decision", today)
    done(cmd, row, "exit_statement", "exit_start_review")
    task(cmd, row, "exit_decide", "审议并作出员额退出决定", role="committee", due=window.closes_on)
    dossier(cmd, row, "review", f"员额退出委员会审议开始，附法官提交材料{attached}件", attached=attached)


def _attach(cmd, row, data: p.Note):
    attach_all(cmd, row)


def _hearing(cmd, row, data: p.Hearing):
    row.hearing_held_on = data.held_on
    submit(cmd, row, "hearing_minutes", "committee", data.minutes, attached_on=local_today(cmd.now))


def _decide(cmd, row, data: p.Decide):
    today = local_today(cmd.now)
    row.decision, row.decision_reason, row.observation_months = data.outcome, data.reason, data.observation_months
    row.decided_on, row.decided_by = today, cmd.actor.user_id
    end_window(cmd.session, row.id, "committee_decision", "met", today)
    rules = _rules(cmd, row)
    keep_document(cmd, row, "decision", opened_on=row.opened_on, notified_on=row.notified_on, ground_zh=_ground(row),
                  submissions=_for_document(cmd, row), waived_on=row.waived_on, hearing_held_on=row.hearing_held_on,
                  outcome=data.outcome, outcome_zh=in_chinese("exit_outcome", data.outcome), reason=data.reason,
                  observation_months=data.observation_months, stayed=rules.stay_during_reconsideration,
                  reconsideration_length=rules.windows["reconsideration_application"].length)
    done(cmd, row, "exit_decide")
    task(cmd, row, "exit_serve_decision", "送达员额退出决定书", role="personnel")
    dossier(cmd, row, "decided", f"员额退出决定：{in_chinese('exit_outcome', data.outcome)}", outcome=data.outcome)


def _serve(cmd, row, data: p.Note):
    today = local_today(cmd.now)
    row.served_on = today
    done(cmd, row, "exit_serve_decision")
    closes_on = None
    if row.state == "dismissed":
        _close(cmd, row)
    else:
        closes_on = open_window(cmd.session, row, "reconsideration_application", today).closes_on
        _execute_unless_stayed(cmd, row)
    notify_exit(cmd, "exit_decision", [row.judge_id], f"exit_decision:{row.id}:decision", row, stage="decision",
                outcome=row.decision, reason=row.decision_reason, apply_by=closes_on)


def _apply_reconsideration(cmd, row, data: p.Reason):
    today = local_today(cmd.now)
    submit(cmd, row, "reconsideration_application", "judge", data.reason)
    end_window(cmd.session, row.id, "reconsideration_application", "used", today)
    window = open_window(cmd.session, row, "reconsideration_decision", today)
    task(cmd, row, "exit_decide_reconsideration", "作出员额退出复议决定", role="committee", due=window.closes_on)
    _tell_officials(cmd, row, "reconsideration_application")
    dossier(cmd, row, "reconsideration_applied", "申请复议员额退出决定")


def _decide_reconsideration(cmd, row, data: p.Decide):
    today = local_today(cmd.now)
    row.reconsideration_outcome, row.reconsideration_reason, row.reconsidered_on = data.outcome, data.reason, today
    if data.outcome == "observation":
        row.observation_months = data.observation_months
    end_window(cmd.session, row.id, "reconsideration_decision", "met", today)
    closes_on = None
    if data.outcome != "no_exit":
        closes_on = open_window(cmd.session, row, "higher_review_application", today).closes_on
    application = next((s.text for s in judge_submissions(cmd.session, row.id)
                        if s.kind == "reconsideration_application"), "")
    keep_document(cmd, row, "reconsideration_decision", decided_on=row.decided_on,
                  decision_zh=in_chinese("exit_outcome", row.decision), application=application,
                  applied_on=_applied_on(cmd, row, "reconsideration_application"),
                  result=_result(row.decision, data.outcome), outcome=data.outcome,
                  outcome_zh=in_chinese("exit_outcome", data.outcome), reason=data.reason,
                  higher_length=_rules(cmd, row).windows["higher_review_application"].length)
    done(cmd, row, "exit_decide_reconsideration")
    _execute_unless_stayed(cmd, row)
    notify_exit(cmd, "exit_decision", [row.judge_id], f"exit_decision:{row.id}:reconsideration", row,
                stage="reconsideration", outcome=data.outcome, reason=data.reason, apply_by=closes_on)
    dossier(cmd, row, "reconsidered", f"复议决定：{in_chinese('exit_outcome', data.outcome)}", outcome=data.outcome)


def _apply_higher_review(cmd, row, data: p.Reason):
    submit(cmd, row, "higher_review_application", "judge", data.reason)
    end_window(cmd.session, row.id, "higher_review_application", "used", local_today(cmd.now))
    task(cmd, row, "exit_decide_higher_review", "复核下级法院员额退出复议决定", role="committee",
         court_id=row.higher_court_id)
    _tell_officials(cmd, row, "higher_review_application", court_id=row.higher_court_id)
    dossier(cmd, row, "higher_review_applied", "向上一级法院申请复核")


def _decide_higher_review(cmd, row, data: p.Decide):
    today = local_today(cmd.now)
    standing = row.standing_outcome
    row.higher_review_outcome, row.higher_review_reason, row.higher_reviewed_on = data.outcome, data.reason, today
    if data.outcome == "observation":
        row.observation_months = data.observation_months
    keep_document(cmd, row, "higher_review_decision", court_id=row.higher_court_id,
                  lower_court_name=_court_name(cmd, row.court_id), standing_zh=in_chinese("exit_outcome", standing),
                  applied_on=_applied_on(cmd, row, "higher_review_application"),
                  result=_result(standing, data.outcome), outcome=data.outcome,
                  outcome_zh=in_chinese("exit_outcome", data.outcome), reason=data.reason)
    notify_exit(cmd, "exit_decision", [row.judge_id], f"exit_decision:{row.id}:higher_review", row,
                stage="higher_review", outcome=data.outcome, reason=data.reason, apply_by=None)
    _finish(cmd, row)


def _finalize(cmd, row, data: p.Note):
    record_lapsed(cmd.session, local_today(cmd.now), cmd.now, proceeding_id=row.id)
    _finish(cmd, row)


# --- effect ------------------------------------------------------------------------------------

def _execute(cmd, row) -> None:
    """Bring the judge's quota in line with the outcome in force."""
    outcome = row.standing_outcome
    if outcome == "exit" and row.left_quota_on is None:
        leave_quota(cmd, row)
    elif outcome != "exit" and row.left_quota_on is not None and row.restored_on is None:
        restore_quota(cmd, row)
    if outcome == "observation":
        start_observation(cmd, row)


def _execute_unless_stayed(cmd, row) -> None:
    if not _rules(cmd, row).stay_during_reconsideration:
        _execute(cmd, row)


def _finish(cmd, row) -> None:
    """The outcome is final: executed if it was stayed, the proceeding closed."""
    _execute(cmd, row)
    _close(cmd, row)


def _close(cmd, row) -> None:
    row.closed_on = local_today(cmd.now)
    cancel_open_tasks(cmd.session, "exit_proceedings", row.id, cmd.now)
    dossier(cmd, row, "closed", f"员额退出程序终结：{in_chinese('exit_outcome', row.standing_outcome)}",
            outcome=row.standing_outcome, state=row.state)


# --- helpers -----------------------------------------------------------------------------------

def _ground(row) -> str:
    return in_chinese("exit_ground", row.ground)


def _submissions(cmd, row) -> list[ExitSubmission]:
    return list(cmd.session.exec(select(ExitSubmission).where(ExitSubmission.proceeding_id == row.id)
                                 .order_by(ExitSubmission.id)).all())


def _for_document(cmd, row) -> list[dict]:
    return [{"on": s.on, "kind_zh": in_chinese("exit_submission", s.kind), "sha256": s.sha256,
             "summary": s.filename or (s.text[:200] + ("…" if len(s.text) > 200 else ""))}
            for s in judge_submissions(cmd.session, row.id)]


def _applied_on(cmd, row, kind: str):
    return next((s.on for s in judge_submissions(cmd.session, row.id) if s.kind == kind), None)


def _result(before: str, after: str) -> str:
    return "upheld" if before == after else "changed"


def _court_name(cmd, court_id) -> str:
    return cmd.session.get(Court, court_id).name


def _spec(name, roles, payload=p.Note, may=None, apply=None) -> EventSpec:
    return EventSpec(name, frozenset(roles), payload, may=may, apply=apply, facts=facts)


def _evidence_may(session, actor, row, now):
    return only("personnel")(session, actor, row, now) if row.state == "opened" else the_judge(session, actor, row, now)


def _officials(session, actor, row, now):
    reasons = [only(role)(session, actor, row, now) for role in ("committee", "personnel")]
    return None if None in reasons else reasons[0]


EVENTS = [
    _spec("add_evidence", {"personnel", "judge"}, p.Evidence, _evidence_may,
          _add_evidence),
    _spec("notify", {"personnel"}, may=only("personnel"), apply=_notify),
    _spec("acknowledge", {"judge"}, may=the_judge, apply=_start_statement),
    _spec("record_service", {"personnel"}, may=only("personnel"),
          apply=_start_statement),
    _spec("file_statement", {"judge"}, p.Statement, the_judge, _statement),
    _spec("ask_hearing", {"judge"}, p.Reason, the_judge, _ask_hearing),
    _spec("waive", {"judge"}, p.OptionalReason, the_judge, _waive),
    _spec("start_review", {"committee", "personnel"}, may=_officials,
          apply=_start_review),
    _spec("attach_submissions", {"committee"},
          may=only("committee"), apply=_attach),
    _spec("record_hearing", {"committee"}, p.Hearing, only("committee"), _hearing),
    _spec("decide", {"committee"}, p.Decide, only("committee"), _decide),
    _spec("serve_decision", {"personnel"}, may=only("personnel"), apply=_serve),
    _spec("apply_reconsideration", {"judge"}, p.Reason, the_judge,
          _apply_reconsideration),
    _spec("decide_reconsideration", {"committee"}, p.Decide,
          only("committee"), _decide_reconsideration),
    _spec("apply_higher_review", {"judge"}, p.Reason,
          the_judge, _apply_higher_review),
    _spec("decide_higher_review", {"committee"}, p.Decide,
          only("committee", higher=True), _decide_higher_review),
    _spec("finalize", {"personnel"}, may=only("personnel"), apply=_finalize),
]
