"""What a subject page shows instead of its raw fields: each fact labelled in the reader's language,
people and courts by name, the case it is about with a link, dates still due marked overdue or near.

A field with no label here is not shown: the page tells a person what the subject is about, what is
due when and what they may do, never an internal id or a Python value.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from sqlmodel import select

import i18n
from api.pages.common import court_time
from i18n.words import date_words, length_words
from policies.deadline import Duration
from services.cases.clock import days_left, derive_deadline
from services.kernel.policy import policy
from services.cases.queries import list_cases
from services.kernel.access import court_path
from services.kernel.registry import subject_kind
from store.models import Case, Court, Division, ExtensionRequest, Task, User

USER_FIELDS = {"requested_by", "decided_by", "from_judge_id", "to_judge_id", "required_by", "judge_id", "reviewer_id",
               "assignee_user_id"}
ROLE_FIELDS = {"approver_role", "assignee_role", "decider_role"}
DUE_FIELDS = {"decide_by", "report_due", "due_on", "review_due", "objection_due", "decision_due", "rectification_due"}
LINKED = {"case_id": "/cases/{}", "exit_proceeding_id": "/exits/{}"}
SOON_DAYS = 3
LIST_FILTERS = {"court_id", "division_id", "days_left_min", "days_left_max", "filed_before"}
ENGINE_KEYS = {"kind", "id", "state", "version", "allowed_events", "title"}  # the page shows these its own way
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    text: str
    href: str | None = None
    mark: str = ""  # overdue / soon: a date still due
    note: str = ""


def subject_facts(session, kind_name: str, subject: dict, lang: str, today: date, actor=None) -> list[Fact]:
    """The subject's labelled facts, in the order its public view gives them; the case linked only for a
    reader who may open it (a reviewer from another court reads its number)."""
    t = lambda key, **params: i18n.gettext(key, lang, **params)  # noqa: E731
    still_open = subject["state"] not in final_states(kind_name)
    names = _names(session, subject)
    names["case_seen"] = actor is None or case_seen(session, actor, names.get("case"))
    facts = []
    for key, value in subject.items():
        label = t(f"field.{key}")
        if key in ENGINE_KEYS or not i18n.has(f"field.{key}") or value in (None, "", [], {}) or _says_nothing(key, value, subject):
            continue
        text, href = _text(key, value, names, t, lang)
        if text:
            facts.append(Fact(key, label, text, href, *_due(key, value, still_open, today, t)))
    return facts


def _says_nothing(key: str, value, subject: dict) -> bool:
    """An escalation level of 0, or a task whose subject is the task itself."""
    if key == "escalation_level":
        return not value
    return key == "subject" and value == f"tasks/{subject.get('id')}"


def final_states(kind_name: str) -> set[str]:
    return {s.id for s in subject_kind(kind_name).machine.states if s.final}


def _names(session, subject: dict) -> dict:
    """People, courts and cases the subject names, read at once."""
    users = {v for k, v in subject.items() if k in USER_FIELDS and isinstance(v, int)}
    users |= {v for v in subject.get("member_ids") or () if isinstance(v, int)}
    names = {"users": dict(session.exec(select(User.id, User.display_name).where(User.id.in_(users))).all())
             if users else {}}
    if subject.get("case_id"):
        names["case"] = session.get(Case, subject["case_id"])
    if isinstance(subject.get("subject"), str) and "/" in subject["subject"]:  # a task's subject: kind/id
        kind_name, _, number = subject["subject"].partition("/")
        names["subject"] = (kind_name, int(number)) if number.isdigit() else None
        if kind_name == "cases" and number.isdigit():
            names["case"] = names.get("case") or session.get(Case, int(number))
    if subject.get("approver_court_id"):
        court = session.get(Court, subject["approver_court_id"])
        names["court"] = court.name if court else ""
    return names


def _text(key: str, value, names: dict, t, lang: str) -> tuple[str, str | None]:
    if key == "case_id":
        case = names.get("case")
        return (case.case_number if case else "", LINKED[key].format(value) if names["case_seen"] else None)
    if key == "subject":
        text, href = _subject_link(names.get("subject"), names.get("case"), lang)
        return (text, None if href and href.startswith("/cases/") and not names["case_seen"] else href)
    if key in LINKED:
        return (t(f"field.{key}") + f" #{value}", LINKED[key].format(value))
    if key in USER_FIELDS:
        return (names["users"].get(value, ""), None)
    if key == "member_ids":
        return ("、".join(names["users"].get(v, "") for v in value), None)
    if key == "approver_court_id":
        return (names.get("court", ""), None)
    if key in ROLE_FIELDS:
        return (i18n.label("role", value, lang), None)
    if key == "chain":
        return (" → ".join(i18n.label("role", r, lang) for r in value), None)
    if key == "length":
        return (length_words(value, lang), None)
    if isinstance(value, bool):
        return (t("yes") if value else t("no"), None)
    if isinstance(value, list):
        return ("；".join(_item(v) for v in value), None)
    if isinstance(value, dict):
        return ("", None)
    if isinstance(value, datetime):
        return (court_time(value, lang), None)
    if isinstance(value, date):
        return (date_words(value, lang), None)
    if i18n.has(f"option.{key}.{value}"):  # a code with words of its own; a code without words is not shown
        return (t(f"option.{key}.{value}"), None)
    return ("" if isinstance(value, str) and CODE.match(value) else str(value), None)


def _subject_link(target, case, lang: str) -> tuple[str, str | None]:
    """A task's subject: the case by its number, another subject by its kind's name."""
    if target is None:
        return ("", None)
    kind_name, number = target
    if kind_name == "cases":
        return (case.case_number if case else "", f"/cases/{number}")
    return (f"{i18n.label('kind', kind_name, lang)} #{number}", f"/s/{kind_name}/{number}")


def _item(value) -> str:
    if isinstance(value, dict):
        return "，".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value)


def _due(key: str, value, still_open: bool, today: date, t) -> tuple[str, str]:
    if key not in DUE_FIELDS or not still_open or not isinstance(value, date):
        return "", ""
    left = (value - today).days
    if left < 0:
        return "overdue", t("due_overdue_n", n=-left)
    if left == 0:
        return "soon", t("due_today")
    return ("soon" if left <= SOON_DAYS else ""), t("due_in_n", n=left)


def case_about(session, case_id, today: date, actor=None) -> dict | None:
    """The case a subject is about, as its page heads it: number (linked for a reader who may open the case),
    cause, lead judge, deadline."""
    case = session.get(Case, case_id) if isinstance(case_id, int) else None
    if case is None:
        return None
    judge = session.get(User, case.lead_judge_id) if case.lead_judge_id else None
    return {"case": case, "judge_name": judge.display_name if judge else "", "days_left": days_left(case, today),
            "linked": actor is None or case_seen(session, actor, case)}


def case_seen(session, actor, case) -> bool:
    """Whether the reader may open the case's page (the case lifecycle's own rule of who sees a case)."""
    if case is None:
        return False
    kind = subject_kind("cases")
    return kind.seen_by(session, actor, case, lambda c: court_path(session, c))


def task_details(session, actor, task_id: int, today: date, rows: int = 20) -> dict:
    """What a task asks the person to act on: the notice text to serve, the list to review (its first
    rows and a link to all of it), or the page to read."""
    task = session.get(Task, task_id)
    context = task.context or {}
    details = {"notice_text": context.get("text"), "page": context.get("page"), **_holder(session, task)}
    filters = context.get("list")
    if isinstance(filters, dict):
        query = {k: v for k, v in filters.items() if k in LIST_FILTERS and v is not None}
        parsed = {k: date.fromisoformat(v) if k == "filed_before" else v for k, v in query.items()}
        details["list_rows"], details["list_total"], _ = list_cases(session.connection(), actor, **parsed,
                                                                    per_page=rows, today=today)
        details["list_url"] = "/cases?" + urlencode(query)
    return details


def _holder(session, task: Task) -> dict:
    """Who holds the task now (by name), or the role it is offered to; and whose it is under a delegation."""
    if task.state != "open":
        return {}

    def name(user_id):
        user = session.get(User, user_id) if user_id else None
        return (user.display_name or user.username) if user else None
    return {"holder": name(task.assignee_user_id), "offered_to": task.assignee_role if not task.assignee_user_id
            else None, "delegated_from": name(task.delegated_from_user_id)}


def extension_details(session, request_id: int, today: date, lang: str) -> dict:
    """What the approver of an extension weighs: how the current deadline is reached, what it would
    become, and, for a late request, why it is late."""
    t = lambda key, **params: i18n.gettext(key, lang, **params)  # noqa: E731
    req = session.get(ExtensionRequest, request_id)
    case = session.get(Case, req.case_id)
    now = derive_deadline(session, case)
    waiting = req.state == "requested"
    after = derive_deadline(session, case, (Duration.parse(req.length),)) if waiting and now.limit else None
    rule = policy(session, case.court_id, "time_limits").extension_request
    late = ""
    if req.late:
        left = (case.deadline - req.requested_on).days if waiting and case.deadline else "—"
        late = t("late_explained", days=rule.file_at_least_days_before, left=left)
    return {"filed": now.filed, "limit": length_words(now.limit, lang) if now.limit else t("no_time_limit"),
            "extensions": [length_words(e, lang) for e in now.extensions], "excluded_days": now.excluded_days,
            "unrolled": now.unrolled_deadline, "deadline": now.deadline, "rolled": now.rolled_forward,
            "after": after.deadline if after else None, "late": late}


def due_mark(due_on: date | None, today: date) -> str:
    """overdue, soon (within SOON_DAYS), or nothing: how the inbox marks a task's due date."""
    if due_on is None:
        return ""
    left = (due_on - today).days
    return "overdue" if left < 0 else "soon" if left <= SOON_DAYS else ""


def task_places(session, tasks) -> dict[str, str]:
    """The courts and divisions the tasks lie in, by name, keyed c<id> / d<id> for the inbox's filter."""
    court_ids = {t.court_id for t in tasks}
    division_ids = {t.division_id for t in tasks if t.division_id}
    courts = session.exec(select(Court.id, Court.name).where(Court.id.in_(court_ids))).all() if court_ids else []
    divisions = session.exec(select(Division.id, Division.name, Court.name).join(Court, Court.id == Division.court_id)
                             .where(Division.id.in_(division_ids))).all() if division_ids else []
    return {**{f"c{i}": name for i, name in courts}, **{f"d{i}": f"{court} {name}" for i, name, court in divisions}}
