"""Notices from a command: written to the outbox in the command's own transaction."""
from store.jsonable import jsonable
from store.outbox import enqueue


def case_context(case) -> dict:
    return {"case_id": case.id, "case_number": case.case_number, "cause": case.cause,
            "deadline": jsonable(case.deadline), "filed_on": jsonable(case.filed_on)}


def notify_users(cmd, kind: str, user_ids, dedupe_key: str, case, **context) -> int:
    """One notice per user (None ids skipped); the dedupe key makes a repeat add nothing."""
    users = [u for u in user_ids if u is not None]
    return enqueue(cmd.session, kind=kind, recipients=users, dedupe_key=dedupe_key, at=cmd.now,
                   context={**case_context(case), **context}, court_id=case.court_id,
                   subject_kind="cases", subject_id=case.id)
