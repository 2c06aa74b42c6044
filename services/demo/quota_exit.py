"""Quota exits in the demo court (`courtflow seed --demo`): something for personnel, the committee
and a judge to open. hp_judge02 is in the statement period of an assessment exit, with a statement
filed; hp_judge03 has applied to leave the quota and waits for the committee (hp_committee)."""
from datetime import datetime, timedelta

from sqlmodel import select

from services.kernel.actor import load_actor
from services.quota_exit.proceedings import apply_for_exit, open_exit_proceeding
from services.kernel.engine import fire
from store.models import User


def _actor(session, username: str):
    user = session.exec(select(User).where(User.username == username)).first()
    return load_actor(session, user) if user else None


def seed_quota_exits(db, now: datetime) -> None:
    """Open the demo's exits through the same commands people use (so everything is traced)."""
    with db.read() as session:
        hr, judge, applicant = (_actor(session, u) for u in ("hp_personnel", "hp_judge02", "hp_judge03"))
    if not (hr and judge and applicant):
        return
    opened = now - timedelta(days=3)
    with db.write() as session:
        pid = open_exit_proceeding(session, judge_id=judge.user_id, ground="assessment_failure",
                                   grounds_text="连续两个年度未完成办案任务，且差距较大（年度结案率低于目标值80%）",
                                   opened_by=hr, now=opened, source="demo:assessment")
        apply_for_exit(session, judge=applicant, reason="因家庭原因申请退出员额，转任综合审判辅助岗位", now=opened,
                       source="demo:application")
    fire(db, hr, "exit_proceedings", pid, "notify", {}, opened)
    fire(db, judge, "exit_proceedings", pid, "acknowledge", {}, now - timedelta(days=2))
    fire(db, judge, "exit_proceedings", pid, "file_statement",
         {"text": "本人2024年承办多件重大疑难案件，个案工作量未在考核中充分体现，请求委员会予以考虑。"},
         now - timedelta(days=1))
