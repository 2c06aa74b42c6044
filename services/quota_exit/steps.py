"""Shared steps of a quota-exit proceeding: filing submissions, opening and closing its tasks, filing
in the dossier, who may act where. Used by the due process and the natural/application path."""
import base64
import binascii

from sqlalchemy import or_, true
from sqlmodel import select

from policies.evidence_files import EvidenceRefused, check_file
from services.kernel.clock import local_today
from services.kernel.dossier import record_in_dossier
from services.kernel.errors import Invalid, Refused
from services.kernel.policy import policy
from services.kernel.tasks import close_tasks, open_task
from store import evidence
from store.jsonable import jsonable
from store.models import ExitProceeding, ExitSubmission, User

OFFICIALS = frozenset({"personnel", "committee", "president", "vice_president"})


def judge_name(session, p: ExitProceeding) -> str:
    judge = session.get(User, p.judge_id)
    return judge.display_name if judge else f"#{p.judge_id}"


def submit(cmd, p: ExitProceeding, kind: str, party: str, text: str = "", **fields) -> ExitSubmission:
    """File one submission in the proceeding, dated today."""
    row = ExitSubmission(proceeding_id=p.id, kind=kind, party=party, by_user_id=cmd.actor.user_id,
                         on=local_today(cmd.now), at=cmd.now, text=text, **fields)
    cmd.session.add(row)
    cmd.session.flush()
    return row


def submit_file(cmd, p: ExitProceeding, data, kind: str, party: str, late: bool = False) -> ExitSubmission:
    """Check an evidence file (type, size, content matching its label) and file it with its checksum;
    the bytes reach the evidence directory only if the command commits."""
    if data.upload:
        return _submit_streamed(cmd, p, data, kind, party, late)
    rules = policy(cmd.session, p.court_id, "quota_exit").evidence
    try:
        raw = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid("payload.content_base64", "invalid.quota_exit.file_content_not_valid_base64") from exc
    try:
        checked = check_file(data.filename, data.content_type, raw, rules.types, rules.max_bytes)
    except EvidenceRefused as exc:
        raise Invalid("payload.file", exc.message_id, **exc.params) from exc
    key = evidence.stage(cmd.session, raw, checked.sha256)
    return submit(cmd, p, kind, party, data.description, filename=checked.filename,
                  content_type=checked.content_type, size_bytes=checked.size, sha256=checked.sha256,
                  storage_key=key, late=late)


def _submit_streamed(cmd, p: ExitProceeding, data, kind: str, party: str, late: bool) -> ExitSubmission:
    """A file the upload route streamed to disk and checked; stored if the command commits."""
    received = evidence.claim(cmd.session, data.upload, (cmd.actor.user_id, p.id))
    if received is None:
        raise Invalid("payload.upload", "invalid.quota_exit.no_such_upload_yours_proceeding")
    return submit(cmd, p, kind, party, data.description, filename=received.filename,
                  content_type=received.content_type, size_bytes=received.size, sha256=received.sha256,
                  storage_key=evidence.storage_key(received.sha256), late=late)


def judge_submissions(session, proceeding_id: int) -> list[ExitSubmission]:
    return list(session.exec(select(ExitSubmission).where(ExitSubmission.proceeding_id == proceeding_id,
                                                          ExitSubmission.party == "judge")
                             .order_by(ExitSubmission.id)).all())


def attach_all(cmd, p: ExitProceeding) -> int:
    """Attach every submission of the judge not yet in the committee's file; returns how many."""
    loose = [s for s in judge_submissions(cmd.session, p.id) if s.attached_on is None]
    for row in loose:
        row.attached_on = local_today(cmd.now)
        cmd.session.add(row)
    return len(loose)


def task(cmd, p: ExitProceeding, kind: str, title: str, *, role: str | None = None, user: int | None = None,
         court_id: int | None = None, due=None) -> None:
    open_task(cmd.session, kind=kind, title=f"{title}：{judge_name(cmd.session, p)}", subject_kind="exit_proceedings",
              subject_id=p.id, court_id=court_id or p.court_id, assignee_role=role, assignee_user_id=user,
              due_on=due, at=cmd.now, dedupe_key=f"exit:{p.id}:{kind}")


def done(cmd, p: ExitProceeding, *kinds: str) -> None:
    close_tasks(cmd.session, subject_kind="exit_proceedings", subject_id=p.id, kinds=kinds, actor=cmd.actor,
                at=cmd.now)


def dossier(cmd, p: ExitProceeding, step: str, title: str, **detail) -> None:
    record_in_dossier(cmd.session, at=cmd.now, user_id=p.judge_id, on=local_today(cmd.now), kind="quota_exit", title=title,
                      dedupe_key=f"exit:{p.id}:{step}", ref_kind="exit_proceedings", ref_id=p.id,
                      detail=jsonable(detail))


def roles_at_court(session, actor, court_id: int | None, division_id: int | None = None) -> set[str]:
    from services.kernel.access import court_path

    return actor.roles_at(court_id, court_path(session, court_id), division_id) if court_id else set()


def only(role: str, higher: bool = False):
    """A `may` check: the actor holds `role` in the judge's court (or its higher court), and is not the judge."""
    def may(session, actor, p, now):
        court = p.higher_court_id if higher else p.court_id
        if role not in roles_at_court(session, actor, court, None if higher else p.division_id):
            key = "refused.quota_exit.only_role_of_higher_court" if higher else "refused.quota_exit.only_role_of_judges_court"
            return Refused(key, role=role)
        return Refused("refused.quota_exit.nobody_acts_as_official_their_own") if actor.user_id == p.judge_id else None
    return may


def the_judge(session, actor, p, now):
    return None if actor.user_id == p.judge_id else Refused("refused.quota_exit.only_judge_whose_proceeding_may_do")


def sees(session, actor, p) -> bool:
    """The judge, and the officials of the judge's court and of its higher court; nobody else (not fellow judges)."""
    if actor.is_system or actor.user_id == p.judge_id:
        return True
    return any(roles_at_court(session, actor, c, p.division_id) & OFFICIALS for c in (p.court_id, p.higher_court_id))


def sees_where(session, actor):
    """sees in SQL."""
    if actor.is_system:
        return true()
    at = lambda court: actor.covering(court, ExitProceeding.division_id, OFFICIALS)  # noqa: E731
    return or_(ExitProceeding.judge_id == actor.user_id, at(ExitProceeding.court_id), at(ExitProceeding.higher_court_id))
