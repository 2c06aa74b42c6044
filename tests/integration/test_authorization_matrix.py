"""The authorization matrix: every API operation × every demo role × own court / other court / a higher
court's trial office / nobody, against own and colleague's records, checked against a table of expected
answers (200 allowed, 404 refused — another court's or a colleague's record looks absent —, 401 without a
login; for writes, 422 means "passed authorization, then failed validation" and 409 "seen but not yours").

The operations are enumerated from the app's routes under /api/v1: a new route without an entry in
OPERATIONS fails the test with a message to add one. The demo province is built once per module and
database; the targets are real ids found in it (the hp court's 民事审判第一庭, whose judge is hp_judge02
and whose colleague is hp_judge01)."""
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.deps import get_now
from services.demo.seed import seed_demo
from services.demo.scale import DEMO_PASSWORD
from store.models import (Case, Channel, Delegation, ExitProceeding, ExitSubmission, ExtensionRequest, LadderStep, Notice, Petition,
                          Review, ReviewDraw, RoleGrant, Supervision, Task, User)
from tests.conftest import module_database

NOW = datetime(2025, 7, 8, 2, 0, tzinfo=timezone.utc)
ROLES = ("judge", "assistant", "clerk", "filing_clerk", "division_chief", "vice_president", "president",
         "trial_office", "inspection", "personnel", "committee")
LOGIN = {"judge": "judge02", "assistant": "assistant01", "clerk": "clerk01", "filing_clerk": "filing",
         "division_chief": "chief_civil1", "vice_president": "vp", "president": "president",
         "trial_office": "trial_office", "inspection": "inspection", "personnel": "personnel", "committee": "committee"}
ACTORS = {**{f"{r}@own": f"hp_{LOGIN[r]}" for r in ROLES}, **{f"{r}@other": f"sh_{LOGIN[r]}" for r in ROLES},
          "trial_office@higher": "ln_trial_office", "anonymous": None}


def own(*roles: str) -> set[str]:
    return {f"{r}@own" for r in roles}


HIGHER = {"trial_office@higher"}
EVERYONE_HERE = own(*ROLES) | HIGHER  # every role of the court (and the higher court's trial office) sees its cases
COURT_WIDE = own("filing_clerk", "vice_president", "president", "trial_office", "inspection", "personnel",
                 "committee") | HIGHER  # places without a division: not the division's judges, assistants, clerks
PERSON_OWN = own("judge", "division_chief", "vice_president", "president", "trial_office", "personnel") | HIGHER
PERSON_COLLEAGUE = PERSON_OWN - own("judge")  # need to know: a colleague never reads another's dossier
EXIT_OFFICIALS = own("vice_president", "president", "personnel", "committee")
LIST_READERS = own("personnel", "president", "vice_president", "committee", "trial_office") | HIGHER
SIGNED_IN = set(ACTORS) - {"anonymous"}
PEOPLE_KEEPERS = own("personnel")  # the demo has no court_admin
POLICY_KEEPERS = own("trial_office") | HIGHER
LOGIN_FREE = {"/api/v1/auth/token", "/api/v1/auth/invitations/{token}"}


def admin_refused(actor: str) -> int:
    """Administration: 403 to whoever sees the court (its own people, a higher court's trial office), 404 to others."""
    return 403 if actor.endswith("@own") or actor in HIGHER else 404


@dataclass
class Op:
    """One operation's expected answers: `targets` gives (label, path, readers[, writers, body or event]) rows; a
    read answers 200 to its readers, a write 2xx/422 to its writers and 409 to the other readers; everyone else
    gets `refused` (404 by default: what they may not see looks absent)."""
    targets: Callable[["Demo"], list[tuple]] = lambda d: []
    anonymous_only: str = ""  # why the signed-in answers are not checked here
    refused: Callable[[str], int] = lambda actor: 404  # the answer to a signed-in actor outside `readers`


OPERATIONS: dict[tuple[str, str], Op] = {
    ("POST", "/api/v1/auth/token"): Op(anonymous_only="the login itself: every actor of the matrix logs in by it"),
    ("GET", "/api/v1/auth/me"): Op(lambda d: [("me", "/api/v1/auth/me", SIGNED_IN)]),
    ("GET", "/api/v1/tasks"): Op(lambda d: [("list", "/api/v1/tasks", SIGNED_IN)]),
    ("GET", "/api/v1/tasks/overdue"): Op(lambda d: [("list", "/api/v1/tasks/overdue", SIGNED_IN)]),
    ("GET", "/api/v1/tasks/overdue.csv"): Op(lambda d: [("list", "/api/v1/tasks/overdue.csv", SIGNED_IN)]),
    ("GET", "/api/v1/delegations"): Op(lambda d: [("own list", "/api/v1/delegations", SIGNED_IN)]),
    ("GET", "/api/v1/cases"): Op(lambda d: [("list", "/api/v1/cases", SIGNED_IN)]),
    ("GET", "/api/v1/cases/mine"): Op(lambda d: [("list", "/api/v1/cases/mine", SIGNED_IN)]),
    ("GET", "/api/v1/exit_proceedings"): Op(lambda d: [("list", "/api/v1/exit_proceedings", SIGNED_IN)]),
    ("GET", "/api/v1/petitions"): Op(lambda d: [("list", "/api/v1/petitions", SIGNED_IN)]),
    ("GET", "/api/v1/petitions/counts"): Op(lambda d: [
        ("list", "/api/v1/petitions/counts?start=2025-01-01&end=2025-06-30", SIGNED_IN)]),
    ("GET", "/api/v1/supervision/board"): Op(lambda d: [("list", "/api/v1/supervision/board", SIGNED_IN)]),
    ("GET", "/api/v1/reviews"): Op(lambda d: [("list", "/api/v1/reviews", SIGNED_IN)]),
    ("GET", "/api/v1/indicators"): Op(lambda d: [("list", "/api/v1/indicators?period=2025-06", SIGNED_IN)]),
    ("GET", "/api/v1/indicators.csv"): Op(lambda d: [("list", "/api/v1/indicators.csv?period=2025-06", SIGNED_IN)]),
    ("GET", "/api/v1/indicators.xlsx"): Op(lambda d: [("list", "/api/v1/indicators.xlsx?period=2025-06", SIGNED_IN)]),
    ("GET", "/api/v1/cases/{case_id}/draws"): Op(lambda d: [
        ("own", f"/api/v1/cases/{d.own_case}/draws", EVERYONE_HERE),
        ("colleague", f"/api/v1/cases/{d.colleague_case}/draws", EVERYONE_HERE)]),
    ("GET", "/api/v1/cases/{case_id}/supervision"): Op(lambda d: [
        ("own", f"/api/v1/cases/{d.own_case}/supervision", EVERYONE_HERE),
        ("colleague", f"/api/v1/cases/{d.colleague_case}/supervision", EVERYONE_HERE)]),
    ("GET", "/api/v1/assessment/{user_id}/{year}"): Op(lambda d: [
        ("own", f"/api/v1/assessment/{d.judge}/2025", PERSON_OWN),
        ("colleague", f"/api/v1/assessment/{d.colleague}/2025", PERSON_COLLEAGUE)]),
    ("GET", "/api/v1/dossier/{user_id}/{year}"): Op(lambda d: [
        ("own", f"/api/v1/dossier/{d.judge}/2025", PERSON_OWN),
        ("colleague", f"/api/v1/dossier/{d.colleague}/2025", PERSON_COLLEAGUE)]),
    ("GET", "/api/v1/dossier/{user_id}/{year}/document"): Op(lambda d: [
        ("own", f"/api/v1/dossier/{d.judge}/2025/document", PERSON_OWN),
        ("colleague", f"/api/v1/dossier/{d.colleague}/2025/document", PERSON_COLLEAGUE)]),
    ("GET", "/api/v1/exit_proceedings/{proceeding_id}/submissions"): Op(lambda d: [
        ("own", f"/api/v1/exit_proceedings/{d.own_exit}/submissions", EXIT_OFFICIALS | own("judge")),
        ("colleague", f"/api/v1/exit_proceedings/{d.colleague_exit}/submissions", EXIT_OFFICIALS)]),
    ("GET", "/api/v1/exit_proceedings/{proceeding_id}/documents/{kind}"): Op(lambda d: [
        ("own", f"/api/v1/exit_proceedings/{d.own_exit}/documents/notice", EXIT_OFFICIALS | own("judge"))]),
    ("GET", "/api/v1/exit_proceedings/{proceeding_id}/evidence/{submission_id}"): Op(lambda d: [
        ("own", f"/api/v1/exit_proceedings/{d.own_exit}/evidence/{d.exit_file}", EXIT_OFFICIALS | own("judge"))]),
    ("GET", "/api/v1/review-draws/{draw_id}"): Op(lambda d: [("own court", f"/api/v1/review-draws/{d.draw}",
                                                               COURT_WIDE)]),
    ("GET", "/api/v1/reports/{report_id}"): Op(anonymous_only="the demo keeps no weekly or quarterly report"),
    ("GET", "/api/v1/{kind}/{subject_id}"): Op(lambda d: [
        ("own case", f"/api/v1/cases/{d.own_case}", EVERYONE_HERE),
        ("colleague's case", f"/api/v1/cases/{d.colleague_case}", EVERYONE_HERE),
        ("own ladder step", f"/api/v1/ladder_steps/{d.own_step}", PERSON_OWN | own("committee")),
        ("chief's ladder step", f"/api/v1/ladder_steps/{d.chief_step}", PERSON_COLLEAGUE | own("committee")),
        ("own exit", f"/api/v1/exit_proceedings/{d.own_exit}", EXIT_OFFICIALS | own("judge")),
        ("colleague's exit", f"/api/v1/exit_proceedings/{d.colleague_exit}", EXIT_OFFICIALS),
        ("petition", f"/api/v1/petitions/{d.petition}", COURT_WIDE),
        ("petition naming a judge", f"/api/v1/petitions/{d.named_petition}", COURT_WIDE),
        ("review", f"/api/v1/reviews/{d.review}", EVERYONE_HERE),
        ("extension", f"/api/v1/extensions/{d.extension}", EVERYONE_HERE),
        ("supervision", f"/api/v1/supervisions/{d.supervision}", EVERYONE_HERE),
        ("division task", f"/api/v1/tasks/{d.division_task}", EVERYONE_HERE),
        ("own exit task", f"/api/v1/tasks/{d.exit_task}", EXIT_OFFICIALS | own("judge"))]),
    ("POST", "/api/v1/{kind}/{subject_id}/transitions"): Op(lambda d: [
        ("own case", f"/api/v1/cases/{d.probe_case}/transitions", EVERYONE_HERE, own("judge"), "request_extension"),
        ("colleague's case", f"/api/v1/cases/{d.colleague_case}/transitions", EVERYONE_HERE, set(),
         "request_extension"),
        ("own ladder step", f"/api/v1/ladder_steps/{d.own_step}/transitions", PERSON_OWN | own("committee"),
         own("judge"), "file_explanation"),
        ("own exit", f"/api/v1/exit_proceedings/{d.own_exit}/transitions", EXIT_OFFICIALS | own("judge"),
         own("judge"), "file_statement"),
        ("unassigned petition", f"/api/v1/petitions/{d.new_petition}/transitions", COURT_WIDE,
         own("trial_office") | HIGHER, "assign")]),
    ("POST", "/api/v1/exit_proceedings/{proceeding_id}/evidence"): Op(lambda d: [
        ("own exit", f"/api/v1/exit_proceedings/{d.own_exit}/evidence", EXIT_OFFICIALS | own("judge"), own("judge"),
         None)]),
    ("POST", "/api/v1/petitions"): Op(lambda d: [
        ("own court", "/api/v1/petitions", own(*ROLES) | HIGHER, own("filing_clerk", "trial_office") | HIGHER,
         {"channel": "letter", "court_id": d.court, "matter": "other"})]),
}
QUOTA_JUDGES = {"judge@own", "division_chief@own", "judge@other", "division_chief@other"}
KEEPERS = {"trial_office@own", "trial_office@other", "trial_office@higher"}  # flow health: 403 to anyone else
# Writes that succeed change the demo: each has its own target (own_case only for the draft, which moves it on),
# is idempotent or unique per actor, and runs after every read (the cells go in (method, path) order).
OPERATIONS.update({
    ("POST", "/api/v1/cases"): Op(lambda d: [("own division", "/api/v1/cases", EVERYONE_HERE, own("filing_clerk"),
                                              {"case_number": "（2025）辽0102民初99999号", "procedure": "no-such",
                                               "division_id": d.division, "filed_on": "2025-07-01"})]),
    ("POST", "/api/v1/exit_proceedings"): Op(lambda d: [
        ("colleague", "/api/v1/exit_proceedings", EVERYONE_HERE, own("personnel"),
         {"path": "mandatory", "judge_id": d.colleague, "ground": "no_such_ground", "grounds_text": "测试理由"})]),
    ("POST", "/api/v1/cases/{case_id}/four-type-flags"): Op(lambda d: [
        ("own case", f"/api/v1/cases/{d.panel_case}/four-type-flags", EVERYONE_HERE,
         own("judge", "trial_office", "inspection") | HIGHER, {"category": 1, "reason": "授权矩阵测试"}),
        ("colleague's case", f"/api/v1/cases/{d.colleague_case}/four-type-flags", EVERYONE_HERE,
         own("trial_office", "inspection") | HIGHER, {"category": 1, "reason": "授权矩阵测试"})]),
    ("POST", "/api/v1/cases/{case_id}/drafts"): Op(lambda d: [
        ("own four-type case", f"/api/v1/cases/{d.own_case}/drafts", EVERYONE_HERE, own("judge"),
         {"document_kind": "判决书", "outcome": "驳回原告的诉讼请求"}),
        ("colleague's case", f"/api/v1/cases/{d.colleague_case}/drafts", EVERYONE_HERE, set(),
         {"document_kind": "判决书", "outcome": "驳回原告的诉讼请求"})]),
    ("POST", "/api/v1/cases/{case_id}/meetings"): Op(lambda d: [
        ("own case", f"/api/v1/cases/{d.panel_case}/meetings", EVERYONE_HERE, own("judge"),
         {"question": "法律适用问题", "options": "维持；维持"}),  # one position twice: 422 once authorized
        ("colleague's case", f"/api/v1/cases/{d.colleague_case}/meetings", EVERYONE_HERE, set(),
         {"question": "法律适用问题", "options": "维持；维持"})]),
    ("POST", "/api/v1/cases/{case_id}/similar-case-search"): Op(lambda d: [
        ("own case", f"/api/v1/cases/{d.panel_case}/similar-case-search", EVERYONE_HERE, own("judge"),
         {"reason": "类案不同判风险"}),
        ("colleague's case", f"/api/v1/cases/{d.colleague_case}/similar-case-search", EVERYONE_HERE, set(),
         {"reason": "类案不同判风险"})]),
    ("POST", "/api/v1/reviews/special"): Op(lambda d: [
        ("own court", "/api/v1/reviews/special", COURT_WIDE, own("trial_office") | HIGHER,
         {"title": "授权矩阵专项评查", "filter": {"court_id": d.court, "closed_from": "2024-01-01",
                                               "closed_to": "2025-06-30", "judge_id": d.colleague}})]),
    ("POST", "/api/v1/reviews/assign"): Op(lambda d: [  # each review drawn is its own authorized command
        ("own courts", "/api/v1/reviews/assign", SIGNED_IN, SIGNED_IN, {"month": "2099-01"})]),
    ("POST", "/api/v1/appeal-outcomes"): Op(lambda d: [  # the case is still pending: 422 once authorized
        ("own case", "/api/v1/appeal-outcomes", EVERYONE_HERE, own("trial_office", "filing_clerk") | HIGHER,
         {"case_id": d.own_case, "outcome": "revised", "appeal_case_number": "（2025）辽01民终1号",
          "decided_on": "2025-07-01"})]),
    # all staff assessed (issue 19): the leaders' caseloads and the targets are the court's own, published in it;
    # rankings stay off by default (409 to whoever may read the court); personnel's lists are for their readers
    ("GET", "/api/v1/leader-caseloads"): Op(lambda d: [
        ("own court by default", "/api/v1/leader-caseloads", SIGNED_IN),
        ("own court", f"/api/v1/leader-caseloads?court_id={d.court}", own(*ROLES) | HIGHER)]),
    ("GET", "/api/v1/unit-results"): Op(lambda d: [
        ("own court", f"/api/v1/unit-results?court_id={d.court}", own(*ROLES) | HIGHER)]),
    ("GET", "/api/v1/rankings"): Op(lambda d: [("own court", f"/api/v1/rankings?court_id={d.court}", set())],
                                    refused=lambda actor: 404 if actor.endswith("@other") else 409),
    ("GET", "/api/v1/result-lists"): Op(lambda d: [
        ("own court", f"/api/v1/result-lists?period=2025-06&court_id={d.court}", LIST_READERS)]),
    ("GET", "/api/v1/result-lists.xlsx"): Op(lambda d: [
        ("own court", f"/api/v1/result-lists.xlsx?period=2025-06&court_id={d.court}", LIST_READERS)]),
    ("GET", "/api/v1/score-items"): Op(lambda d: [
        ("own", f"/api/v1/score-items?user_id={d.judge}", PERSON_OWN),
        ("colleague", f"/api/v1/score-items?user_id={d.colleague}", PERSON_COLLEAGUE)]),
    ("POST", "/api/v1/evaluations"): Op(lambda d: [  # the leaders over the judge; the judge is refused their own
        ("the judge", "/api/v1/evaluations", EVERYONE_HERE, own("division_chief", "vice_president", "president"),
         {"user_id": d.judge, "kind": "comprehensive", "period": "2025-07", "score": 85})]),
    ("POST", "/api/v1/score-items"): Op(lambda d: [  # an item the policy does not name: 422 once authorized
        ("the judge", "/api/v1/score-items", EVERYONE_HERE,
         own("division_chief", "vice_president", "president", "personnel", "trial_office") | HIGHER,
         {"user_id": d.judge, "code": "no_such_item", "occurred_on": "2025-07-01", "reason": "授权矩阵测试",
          "evidence": "测试材料"})]),
    ("GET", "/api/v1/flow-health"): Op(lambda d: [("keepers", "/api/v1/flow-health", KEEPERS)],
                                       refused=lambda actor: 403),
    ("POST", "/api/v1/flow-health/dead-notices/{notice_id}/retry"): Op(lambda d: [  # a keeper of its court: 409,
        ("own court's notice", f"/api/v1/flow-health/dead-notices/{d.notice}/retry",  # as the notice is not dead
         {"trial_office@own", "trial_office@higher"}, set(), None)],
        refused=lambda actor: 404 if actor in KEEPERS else 403),
    ("POST", "/api/v1/tasks/bulk-reassign"): Op(lambda d: [  # to a person who does not exist: 422 once authorized
        ("colleague's tasks", "/api/v1/tasks/bulk-reassign", EVERYONE_HERE,
         own("division_chief", "vice_president", "president", "trial_office") | HIGHER,
         {"from_user_id": d.colleague, "to_user_id": 999_999_999, "reason": "授权矩阵测试"})]),
    ("POST", "/api/v1/delegations"): Op(lambda d: [  # a role no court grants: 422 for everyone signed in
        ("own inbox", "/api/v1/delegations", SIGNED_IN, SIGNED_IN,
         {"delegate_user_id": d.colleague, "role": "no_such_role", "starts_on": "2025-07-09",
          "ends_on": "2025-07-20", "reason": "休假"})]),
    ("POST", "/api/v1/delegations/{delegation_id}/end"): Op(lambda d: [  # already ended: 409 to whoever sees it
        ("colleague's ended delegation", f"/api/v1/delegations/{d.ended_delegation}/end", EVERYONE_HERE, set(),
         {"reason": "授权矩阵测试"})]),
    ("POST", "/api/v1/commitments"): Op(lambda d: [  # a quota judge's own; anyone else is refused
        ("own", "/api/v1/commitments", SIGNED_IN, QUOTA_JUDGES, {"week_start": "2025-07-14", "promised": 3})]),
    # the notice centre and a person's own channels: everyone has their own, nobody reaches another's
    ("GET", "/api/v1/notices"): Op(lambda d: [("own list", "/api/v1/notices", SIGNED_IN)]),
    ("POST", "/api/v1/notices/read-all"): Op(lambda d: [("own list", "/api/v1/notices/read-all", SIGNED_IN,
                                                          SIGNED_IN, {})]),
    ("POST", "/api/v1/notices/{notice_id}/read"): Op(lambda d: [
        ("the judge's notice", f"/api/v1/notices/{d.judge_notice}/read", own("judge"), own("judge"), {})]),
    ("GET", "/api/v1/me/channels"): Op(lambda d: [("own channels", "/api/v1/me/channels", SIGNED_IN)]),
    ("POST", "/api/v1/me/channels"): Op(lambda d: [  # not a URL: 422 once authorized
        ("own channels", "/api/v1/me/channels", SIGNED_IN, SIGNED_IN, {"kind": "webhook", "target": "not a url"})]),
    ("DELETE", "/api/v1/me/channels/{channel_id}"): Op(lambda d: [
        ("the judge's webhook", f"/api/v1/me/channels/{d.judge_spare_channel}", own("judge"), own("judge"), {})]),
    ("POST", "/api/v1/me/channels/{channel_id}/test"): Op(lambda d: [
        ("the judge's e-mail", f"/api/v1/me/channels/{d.judge_channel}/test", own("judge"), own("judge"), {})]),
    ("GET", "/api/v1/me/notice-settings"): Op(lambda d: [("own", "/api/v1/me/notice-settings", SIGNED_IN)]),
    # 三个规定: anyone who can see a case records on it (a day in the future: 422 once authorized); each reads
    # only the records and summaries their posts give them (an empty list otherwise)
    ("POST", "/api/v1/integrity/records"): Op(lambda d: [
        ("own case", "/api/v1/integrity/records", EVERYONE_HERE, EVERYONE_HERE,
         {"case_id": d.own_case, "source": "outside", "person_name": "某领导", "occurred_on": "2099-01-01",
          "manner": "phone", "asked": "过问案件", "response": "如实记录"})]),
    ("GET", "/api/v1/integrity/records"): Op(lambda d: [("own list", "/api/v1/integrity/records", SIGNED_IN)]),
    ("GET", "/api/v1/integrity/summaries"): Op(lambda d: [("own list", "/api/v1/integrity/summaries", SIGNED_IN)]),
    # 权责清单: a role's list is public to everyone signed in; a person's is read as their dossier is
    ("GET", "/api/v1/integrity/powers/roles/{role}"): Op(lambda d: [
        ("the chief's list", "/api/v1/integrity/powers/roles/division_chief", SIGNED_IN)]),
    ("GET", "/api/v1/integrity/powers/people/{user_id}"): Op(lambda d: [
        ("own", f"/api/v1/integrity/powers/people/{d.judge}", PERSON_OWN),
        ("colleague", f"/api/v1/integrity/powers/people/{d.colleague}", PERSON_COLLEAGUE)]),
    ("PUT", "/api/v1/me/notice-settings"): Op(lambda d: [  # one time without the other: 422 once authorized
        ("own", "/api/v1/me/notice-settings", SIGNED_IN, SIGNED_IN,
         {"quiet_start": "22:00", "quiet_end": "", "daily_digest": False})]),
    # administration: personnel keep their court's people, the trial office (and the court's administrator,
    # not in the demo) its policies; others of the court (and a higher court's trial office, who sees it) get 403
    ("GET", "/api/v1/admin/courts"): Op(lambda d: [("courts kept", "/api/v1/admin/courts", SIGNED_IN)]),
    ("POST", "/api/v1/admin/courts"): Op(lambda d: [  # a keeper without the subtree: 409
        ("under own court", "/api/v1/admin/courts", PEOPLE_KEEPERS, set(),
         {"code": "辽0199", "name": "矩阵法院", "level": "basic", "parent_id": d.court})], refused=admin_refused),
    ("POST", "/api/v1/admin/courts/{court_id}/divisions"): Op(lambda d: [
        ("own court", f"/api/v1/admin/courts/{d.court}/divisions", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"name": "矩阵庭", "category": "civil"})], refused=admin_refused),
    ("POST", "/api/v1/admin/divisions/{division_id}/teams"): Op(lambda d: [
        ("own division", f"/api/v1/admin/divisions/{d.division}/teams", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"name": "矩阵团队"})], refused=admin_refused),
    ("GET", "/api/v1/admin/courts/{court_id}/people"): Op(lambda d: [
        ("own court", f"/api/v1/admin/courts/{d.court}/people", PEOPLE_KEEPERS)], refused=admin_refused),
    ("POST", "/api/v1/admin/users"): Op(lambda d: [
        ("own court", "/api/v1/admin/users", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"username": "matrix_new", "display_name": "矩阵", "court_id": d.court})], refused=admin_refused),
    ("POST", "/api/v1/admin/users/{user_id}/deactivate"): Op(lambda d: [  # no reason given: 422 once authorized
        ("colleague", f"/api/v1/admin/users/{d.colleague}/deactivate", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"why": " "})], refused=admin_refused),
    ("POST", "/api/v1/admin/users/{user_id}/password-link"): Op(lambda d: [
        ("colleague", f"/api/v1/admin/users/{d.colleague}/password-link", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"purpose": "reset"})], refused=admin_refused),
    ("POST", "/api/v1/admin/users/{user_id}/require-password-change"): Op(lambda d: [
        ("colleague", f"/api/v1/admin/users/{d.colleague}/require-password-change", PEOPLE_KEEPERS,
         PEOPLE_KEEPERS, None)], refused=admin_refused),
    ("POST", "/api/v1/admin/users/{user_id}/grants"): Op(lambda d: [  # an unknown role: 422 once authorized
        ("colleague", f"/api/v1/admin/users/{d.colleague}/grants", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"role": "wizard", "court_id": d.court})], refused=admin_refused),
    ("POST", "/api/v1/admin/grants/{grant_id}/end"): Op(lambda d: [  # a past day: 422 once authorized
        ("colleague's grant", f"/api/v1/admin/grants/{d.colleague_grant}/end", PEOPLE_KEEPERS, PEOPLE_KEEPERS,
         {"ends_on": "2020-01-01", "why": "矩阵"})], refused=admin_refused),
    ("GET", "/api/v1/admin/courts/{court_id}/policies/{name}"): Op(lambda d: [
        ("own court", f"/api/v1/admin/courts/{d.court}/policies/monitoring", POLICY_KEEPERS)],
        refused=admin_refused),
    ("POST", "/api/v1/admin/courts/{court_id}/policies/{name}/check"): Op(lambda d: [
        ("own court", f"/api/v1/admin/courts/{d.court}/policies/monitoring/check", POLICY_KEEPERS, POLICY_KEEPERS,
         {"data": {"warnings": {"days_before": [20]}}})], refused=admin_refused),
    ("POST", "/api/v1/admin/courts/{court_id}/policies/{name}/what-if"): Op(lambda d: [
        ("own court", f"/api/v1/admin/courts/{d.court}/policies/monitoring/what-if", POLICY_KEEPERS,
         POLICY_KEEPERS, {"data": {"warnings": {"days_before": [20]}}, "months": 1})], refused=admin_refused),
    ("POST", "/api/v1/admin/courts/{court_id}/policies/{name}/versions"): Op(lambda d: [  # a past date: 422
        ("own court", f"/api/v1/admin/courts/{d.court}/policies/monitoring/versions", POLICY_KEEPERS,
         POLICY_KEEPERS, {"data": {}, "effective_from": "2020-01-01", "why": "矩阵"})], refused=admin_refused),
    ("POST", "/api/v1/auth/invitations/{token}"): Op(anonymous_only="login-free: the one-time link is the proof "
                                                     "(tests/integration/test_admin_people.py)"),
    ("POST", "/api/v1/auth/password"): Op(lambda d: [  # the current password is wrong: 422 once authorized
        ("own", "/api/v1/auth/password", SIGNED_IN, SIGNED_IN, {"current_password": "wrong", "password": "x"})]),
})


@dataclass
class Demo:
    court: int
    division: int
    judge: int
    colleague: int
    own_case: int
    probe_case: int
    panel_case: int
    colleague_case: int
    own_step: int
    chief_step: int
    own_exit: int
    colleague_exit: int
    exit_file: int
    petition: int
    named_petition: int
    new_petition: int
    review: int
    extension: int
    supervision: int
    division_task: int
    exit_task: int
    draw: int
    notice: int
    judge_notice: int
    judge_channel: int
    judge_spare_channel: int
    colleague_grant: int
    ended_delegation: int


def find_targets(db) -> Demo:
    with db.read() as s:
        def user(name):
            return s.exec(select(User).where(User.username == name)).one()

        judge, colleague, chief = user("hp_judge02"), user("hp_judge01"), user("hp_chief_civil1")
        court, division = judge.court_id, judge.division_id

        def first(stmt):
            return s.exec(stmt.order_by("id")).first()

        own_exit = first(select(ExitProceeding.id).where(ExitProceeding.judge_id == judge.id))
        own_case, probe_case, panel_case = s.exec(select(Case.id).where(
            Case.lead_judge_id == judge.id, Case.state == "in_trial").order_by(Case.id).limit(3)).all()
        return Demo(
            court=court, division=division, judge=judge.id, colleague=colleague.id,
            own_case=own_case, probe_case=probe_case, panel_case=panel_case,
            colleague_case=first(select(Case.id).where(Case.lead_judge_id == colleague.id, Case.state == "in_trial")),
            own_step=first(select(LadderStep.id).where(LadderStep.user_id == judge.id, LadderStep.state == "open",
                                                       LadderStep.action == "explanation")),
            chief_step=first(select(LadderStep.id).where(LadderStep.user_id == chief.id)),
            own_exit=own_exit,
            colleague_exit=first(select(ExitProceeding.id).where(ExitProceeding.court_id == court,
                                                                 ExitProceeding.judge_id != judge.id)),
            exit_file=first(select(ExitSubmission.id).where(ExitSubmission.proceeding_id == own_exit,
                                                            ExitSubmission.storage_key.is_not(None))),
            petition=first(select(Petition.id).where(Petition.court_id == court, Petition.named_user_id.is_(None),
                                                     Petition.division_id.is_not(None))),
            named_petition=first(select(Petition.id).where(Petition.court_id == court,
                                                           Petition.named_user_id.is_not(None))),
            new_petition=first(select(Petition.id).where(Petition.court_id == court, Petition.state == "registered")),
            review=first(select(Review.id).where(Review.court_id == court, Review.division_id == division,
                                                 Review.reviewer_division_id.is_(None))),
            extension=first(select(ExtensionRequest.id).where(ExtensionRequest.court_id == court,
                                                              ExtensionRequest.division_id == division)),
            supervision=first(select(Supervision.id).join(Case, Case.id == Supervision.case_id)
                              .where(Case.court_id == court, Case.division_id == division)),
            division_task=first(select(Task.id).where(Task.court_id == court, Task.division_id == division,
                                                      Task.subject_kind == "tasks")),
            exit_task=first(select(Task.id).where(Task.subject_kind == "exit_proceedings",
                                                  Task.assignee_user_id == judge.id)),
            draw=first(select(ReviewDraw.id).where(ReviewDraw.court_id == court)),
            notice=first(select(Notice.id).join(User, User.id == Notice.recipient_user_id)
                         .where(User.court_id == court, Notice.state != "dead")),
            judge_notice=first(select(Notice.id).where(Notice.recipient_user_id == judge.id)),
            judge_channel=first(select(Channel.id).where(Channel.user_id == judge.id, Channel.kind == "email")),
            judge_spare_channel=first(select(Channel.id).where(Channel.user_id == judge.id,
                                                               Channel.kind == "webhook")),
            colleague_grant=first(select(RoleGrant.id).where(RoleGrant.user_id == colleague.id)),
            ended_delegation=first(select(Delegation.id).where(Delegation.user_id == colleague.id,
                                                               Delegation.state == "ended")))


@pytest.fixture(scope="module")
def evidence_root(tmp_path_factory):
    """The module's evidence files live in a directory of their own (COURTFLOW_EVIDENCE_DIR)."""
    import os

    from store.config import get_settings

    before = os.environ.get("COURTFLOW_EVIDENCE_DIR")
    os.environ["COURTFLOW_EVIDENCE_DIR"] = str(tmp_path_factory.mktemp("evidence"))
    get_settings.cache_clear()
    yield
    if before is None:
        os.environ.pop("COURTFLOW_EVIDENCE_DIR")
    else:
        os.environ["COURTFLOW_EVIDENCE_DIR"] = before
    get_settings.cache_clear()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request, tmp_path_factory, evidence_root):
    """The demo province, seeded once per module and database, with a logged-in client per actor and one
    evidence file the judge filed in their own exit proceeding (the demo files statements only)."""
    db = module_database(request, tmp_path_factory, "matrix")
    seed_demo(db, NOW)
    app = create_app(db)
    app.dependency_overrides[get_now] = lambda: NOW
    client = TestClient(app, follow_redirects=False)
    headers = {}
    for key, username in ACTORS.items():
        if username:
            r = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
            assert r.status_code == 200, (username, r.text)
            headers[key] = {"Authorization": f"Bearer {r.json()['access_token']}"}
    with db.read() as s:
        own_exit = s.exec(select(ExitProceeding.id).join(User, User.id == ExitProceeding.judge_id)
                          .where(User.username == ACTORS["judge@own"])).first()
    filed = client.post(f"/api/v1/exit_proceedings/{own_exit}/evidence", headers=headers["judge@own"],
                        files={"file": ("说明.pdf", b"%PDF-1.4 demo", "application/pdf")})
    assert filed.status_code == 200, filed.text
    spare = client.post("/api/v1/me/channels", headers=headers["judge@own"],  # the one the matrix deactivates
                        json={"kind": "webhook", "target": "http://127.0.0.1:9/matrix"})
    assert spare.status_code == 201, spare.text
    with db.write() as s:  # the colleague's delegation to the judge, already over: ending it again is refused
        colleague, judge = (s.exec(select(User).where(User.username == n)).one() for n in ("hp_judge01", "hp_judge02"))
        s.add(Delegation(user_id=colleague.id, delegate_user_id=judge.id, court_id=colleague.court_id, role="judge",
                         starts_on=datetime(2025, 6, 2).date(), ends_on=datetime(2025, 6, 6).date(), reason="年休假",
                         state="ended", ended_on=datetime(2025, 6, 7).date()))
    yield client, headers, find_targets(db)
    db.dispose()


def api_operations() -> set[tuple[str, str]]:
    """Every (method, path) the app serves under /api/v1, included routers flattened."""
    app = create_app(db=object())

    def flat(routes, prefix=""):
        for r in routes:
            if hasattr(r, "original_router"):
                yield from flat(r.original_router.routes, prefix + r.include_context.prefix)
            elif hasattr(r, "methods"):
                yield prefix + r.path, r.methods

    return {(m, p) for p, methods in flat(app.routes) if p.startswith("/api/v1") for m in methods if m != "HEAD"}


def test_every_api_operation_has_an_entry_in_the_table():
    missing = sorted(api_operations() - set(OPERATIONS))
    assert not missing, ("add an entry to OPERATIONS in tests/integration/test_authorization_matrix.py for: "
                         + ", ".join(f"{m} {p}" for m, p in missing))
    assert not set(OPERATIONS) - api_operations(), "OPERATIONS names a route the app no longer has"


def _request(client, method, path, headers, body, event):
    if method == "GET":
        return client.get(path, headers=headers)
    if path.endswith("/transitions"):
        return client.post(path, headers=headers, json={"event": event, "payload": {"not_a_field": 1}})  # 422
    if path.endswith("/evidence"):  # not multipart: refused on authorization first, then 422 for the body
        return client.post(path, headers=headers, content=b"{}")
    return client.request(method, path, headers=headers, json=body)


ALLOWED = "2xx/422"  # a write that passed authorization: done, or refused by validation after it


def _expected(method: str, actor: str, readers: set[str], writers: set[str], refused: Callable[[str], int]):
    if actor == "anonymous":
        return 401
    if actor not in readers:
        return refused(actor)
    if method == "GET":
        return 200
    return ALLOWED if actor in writers else 409


def _matches(status: int, want: int | str) -> bool:
    return (200 <= status < 300 or status == 422) if want == ALLOWED else status == want


def _path_for_anonymous(path: str) -> str:
    """The route's template filled with an id: the login is checked before any lookup."""
    for name in ("{kind}", "{case_id}", "{proceeding_id}", "{submission_id}", "{user_id}", "{year}", "{draw_id}",
                 "{report_id}", "{subject_id}", "{notice_id}", "{channel_id}", "{court_id}", "{division_id}",
                 "{grant_id}", "{name}", "{delegation_id}"):
        path = path.replace(name, {"{kind}": "cases", "{name}": "monitoring"}.get(name, "1"))
    return path


def test_the_matrix(demo):
    client, headers, targets = demo
    checked, wrong = 0, []
    for (method, route), op in sorted(OPERATIONS.items()):
        if route not in LOGIN_FREE:
            r = client.request(method, _path_for_anonymous(route))
            checked += 1
            if r.status_code != 401:
                wrong.append(f"anonymous {method} {route}: {r.status_code}, expected 401")
        for row in op.targets(targets):
            label, path, readers = row[:3]
            writers, extra = (row[3], row[4]) if len(row) > 3 else (set(), None)
            for actor in ACTORS:
                got = _request(client, method, path, headers.get(actor, {}), extra if isinstance(extra, dict) else None,
                               extra if isinstance(extra, str) else None)
                want = _expected(method, actor, readers, writers, op.refused)
                checked += 1
                if not _matches(got.status_code, want):
                    wrong.append(f"{actor} ({ACTORS[actor]}) {method} {path} [{label}]: {got.status_code}, "
                                 f"expected {want}: {got.text[:160]}")
    print(f"\nauthorization matrix: {checked} cells checked")
    assert not wrong, f"{len(wrong)} of {checked} cells differ from the table:\n" + "\n".join(wrong)


def test_a_refusal_says_nothing_of_the_record(demo):
    """A colleague's 404 on a dossier is the same answer as for a person who does not exist."""
    client, headers, targets = demo
    refused = client.get(f"/api/v1/dossier/{targets.colleague}/2025", headers=headers["judge@own"])
    absent = client.get("/api/v1/dossier/999999/2025", headers=headers["judge@own"])
    assert refused.status_code == absent.status_code == 404
    assert json.loads(refused.text)["detail"].replace(str(targets.colleague), "N") == \
        json.loads(absent.text)["detail"].replace("999999", "N")
