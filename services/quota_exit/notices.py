"""Notices of a quota-exit proceeding, written to the outbox in the command's transaction."""
from store.jsonable import jsonable
from store.models import ExitProceeding, User
from store.outbox import enqueue


def proceeding_context(session, proceeding: ExitProceeding) -> dict:
    judge = session.get(User, proceeding.judge_id)
    return {"proceeding_id": proceeding.id, "judge_name": judge.display_name if judge else "",
            "ground": proceeding.ground, "path": proceeding.path}


def notify_exit(cmd, kind: str, user_ids, dedupe_key: str, proceeding: ExitProceeding, **context) -> int:
    """One notice per user about the proceeding; the dedupe key makes a repeat add nothing."""
    users = [u for u in user_ids if u is not None]
    return enqueue(cmd.session, kind=kind, recipients=users, dedupe_key=dedupe_key, at=cmd.now,
                   context=jsonable({**proceeding_context(cmd.session, proceeding), **context}),
                   court_id=proceeding.court_id, subject_kind="exit_proceedings", subject_id=proceeding.id)
