"""`courtflow seed --demo`: a small Liaoning province to try every role with.

Seven courts (辽宁高院, 沈阳 and 大连 中院, four basic courts), ~60 quota judges, ~3,000 cases
over the two years before `now` in every state, their panels, the recent ones' parties and process nodes
(services/demo/case_records.py, as the province data set has them), and an open task for every division chief
and court leader. Usernames are readable (hp_judge01, hp_chief_civil1, ln_trial_office) and
share one password. The same `now` always gives the same data. The load day's daily monitor (日监测) has run, so
overdue work is already chased and escalated as in a court in operation.
"""
import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from policies.assignment import default_assignment
from policies.calendar import load_calendar
from policies.deadline import add_months
from policies.time_limits import default_time_limits
from services.kernel.clock import local_date
from services.supervision.sweeps import sweep_four_type
from services.demo.quota_exit import seed_quota_exits
from services.kernel.passwords import hash_password
from services.kernel.sweeps import run_daily_monitor
from services.demo.petitions import seed_petitions
from services.demo.quality_review import seed_reviews
from services.demo.staff_work import seed_qualitative, seed_staff_work
from services.demo.data import HIGH_COURT, CaseMaker
from services.demo.case_records import seed_case_records
from services.demo.scale import (DEMO_PASSWORD, SEED, CourtSpec, Org, OrgBuilder, SeedRefused, finish,
                                 insert_cases, insert_org, insert_rows, prepare)
from store.models import Case, Channel, Court, ExitProceeding, Petition, Review, Task, User
from store.models.case import PENDING_STATES

DEMO_CASES = 3_000
DEMO_JUDGES = 60
DEMO_COURTS = (
    CourtSpec(HIGH_COURT[0], HIGH_COURT[1], "high", None, "ln", 0.3),
    CourtSpec("辽01", "沈阳市中级人民法院", "intermediate", "辽", "sy", 1.5),
    CourtSpec("辽0102", "沈阳市和平区人民法院", "basic", "辽01", "hp", 3),
    CourtSpec("辽0103", "沈阳市沈河区人民法院", "basic", "辽01", "sh", 3),
    CourtSpec("辽02", "大连市中级人民法院", "intermediate", "辽", "dl", 1.5),
    CourtSpec("辽0203", "大连市西岗区人民法院", "basic", "辽02", "xg", 3),
    CourtSpec("辽0204", "大连市沙河口区人民法院", "basic", "辽02", "sk", 3),
)
# (who, where to start, what to try first): one login per role that holds demo work, found after the seed
GUIDE = (
    ("division_chief", "/tasks", "审阅本庭超审限清单、安排约谈 [review the overdue list, schedule interviews]"),
    ("president", "/tasks", "审阅本院长期未结案件清单 [review the court's long-pending cases]"),
    ("trial_office", "/petitions", "分派新信访件、决定四类案件建议 [assign a new petition, decide a four-type proposal]"),
    ("personnel", "/exits", "员额退出看板：一件陈述期、一件申请 [the quota-exit board: one in its statement period]"),
    ("exit_judge", "/exits/{id}", "退出程序中的法官：阅读通知、提交陈述 [a judge in an exit proceeding: read, reply]"),
    ("committee", "/tasks", "审批员额退出申请 [decide a judge's application to leave the quota]"),
    ("reviewer", "/reviews/mine", "完成进行中的评查并评定等次 [finish the review in progress and grade it]"),
    ("petition_handler", "/tasks", "答复分派给你的信访件 [answer the petitions assigned to you]"),
    ("clerk", "/cases", "本庭在办案件及审限倒计时 [the division's pending cases and their deadlines]"),
)
# (role, per division?, title): the review each leader finds in the inbox on first login
REVIEWS = (("division_chief", True, "审阅本庭超审限案件清单"), ("president", False, "审阅本院长期未结案件清单"),
           ("vice_president", False, "审阅分管庭室临近审限案件清单"), ("trial_office", False, "审阅本院审判运行态势月报"))


DEMO_MAIL_DOMAIN = "demo.courtflow.test"
DemoAlreadySeeded = SeedRefused  # the name `courtflow serve` catches


@dataclass(frozen=True)
class DemoLogin:
    who: str  # a role, or the part a user plays in the demo (exit_judge, reviewer, petition_handler)
    username: str
    court: str
    path: str
    hint: str


@dataclass(frozen=True)
class DemoLogins:
    password: str
    logins: list[DemoLogin]

    def table(self) -> str:
        lines = ["演示账号 demo logins (start at the path shown):"]
        lines += [f"  {d.who:<17}{d.username:<17}{d.path:<15}{d.hint}" for d in self.logins]
        return "\n".join(lines + [f"密码 password (all users): {self.password}    演示单位 court: {self.logins[0].court}"])


def print_logins(logins: DemoLogins | None) -> None:
    """Print the logins table after a seed; nothing when no demo was loaded."""
    if logins is not None:
        print(logins.table(), flush=True)


def seed_demo(db, now: datetime) -> DemoLogins:
    """Load the demo province into a database without courts (SeedRefused otherwise)."""
    rng = random.Random(SEED)
    with db.write() as session:
        ids = prepare(session)
        org = OrgBuilder(rng, ids, hash_password(DEMO_PASSWORD)).build(list(DEMO_COURTS), DEMO_JUDGES)
        insert_org(session, org)
        give_demo_mail(session, org)
        maker = CaseMaker(rng, org.slots, local_date(now), ids["cases"], load_calendar(), default_time_limits(),
                          default_assignment().panels)
        insert_cases(session, maker, DEMO_CASES)
        seed_staff_work(session, add_months(local_date(now).replace(day=1), -4), local_date(now))
        sweep_four_type(session, local_date(now), now)  # the demo's four-type cases, as the monitor flags them
        open_review_tasks(session, org, now)
        seed_case_records(session, now, rng, insert_rows, ids["cases"])
        finish(session, now, "seed.demo")
    seed_quota_exits(db, now)
    seed_petitions(db, now)
    seed_reviews(db, now, seed=f"demo-{SEED}")
    seed_qualitative(db, now)
    seed_assessment(db, now)
    run_daily_monitor(db, local_date(now), now)  # the load day's 日监测, as a court in operation has had it
    return DemoLogins(DEMO_PASSWORD, demo_logins(db))


def seed_assessment(db, now: datetime) -> None:
    """The last three whole months assessed, so the dashboards, records and ladder have something to show."""
    from services.assessment.monthly import run_monthly_assessment

    first_of_month = local_date(now).replace(day=1)
    for months_back in (2, 1, 0):
        run_monthly_assessment(db, add_months(first_of_month, -months_back), now)


def demo_logins(db) -> list[DemoLogin]:
    """The GUIDE's logins: fixed demo users, and whoever the seed gave an exit, a review or a petition."""
    with db.read() as session:
        holders = {"division_chief": ("hp_chief_civil1", None), "president": ("hp_president", None),
                   "trial_office": ("hp_trial_office", None), "personnel": ("hp_personnel", None),
                   "committee": ("hp_committee", None), "clerk": ("hp_clerk01", None),
                   "exit_judge": _first(session, ExitProceeding.judge_id, ExitProceeding.id,
                                        ExitProceeding.state == "statement_period"),
                   "reviewer": _first(session, Review.reviewer_id, Review.id, Review.state == "reviewing"),
                   "petition_handler": _first(session, Petition.handler_user_id, Petition.id,
                                              Petition.state == "assigned")}
        courts = dict(session.exec(select(User.username, Court.name).join(Court, Court.id == User.court_id)
                                   .where(User.username.in_([u for u, _ in holders.values()]))).all())
    return [DemoLogin(who, holders[who][0], courts[holders[who][0]], path.format(id=holders[who][1]), hint)
            for who, path, hint in GUIDE]


def _first(session: Session, user_column, subject_id, *where) -> tuple[str, int]:
    """(username, subject id) of the first subject matching `where`, by id."""
    return session.exec(select(User.username, subject_id).join(User, User.id == user_column)
                        .where(*where).order_by(subject_id)).first()


def give_demo_mail(session: Session, org: Org) -> None:
    """Every demo user has an e-mail channel at username@demo.courtflow.test (`serve` runs a demo mailbox)."""
    session.add_all(Channel(user_id=u["id"], kind="email", target=f"{u['username']}@{DEMO_MAIL_DOMAIN}")
                    for u in org.rows["users"])


def open_review_tasks(session: Session, org: Org, now: datetime) -> None:
    """A review_list task per division chief and per court leader, with the numbers it is about."""
    today = local_date(now)
    due = load_calendar().add_working_days(today, 3).date
    overdue = _pending_by(session, Case.division_id, Case.deadline < today, Case.clock_stopped.is_(False))
    long_pending = _pending_by(session, Case.court_id, Case.filed_on < add_months(today, -12))
    for role, per_division, title in REVIEWS:
        places = [(s.court_id, s.division_id) for s in org.slots] if per_division else \
                 [(c["id"], None) for c in org.rows["court"]]
        for court_id, division_id in places:
            count = overdue.get(division_id, 0) if per_division else long_pending.get(court_id, 0)
            _self_task(session, now, title=f"{title}（{today.year}年{today.month}月）", court_id=court_id,
                       division_id=division_id, assignee_role=role, due_on=due,
                       dedupe_key=f"seed:{role}:{court_id}:{division_id}:{today:%Y-%m}",
                       context={"as_of": today.isoformat(), "cases": count,
                                **review_list(role, court_id, division_id, today)})


def review_list(role: str, court_id: int, division_id: int | None, today) -> dict:
    """What the review is of, as the case list's filters (the task page shows that list) or a page to read."""
    if role == "division_chief":
        return {"list": {"division_id": division_id, "days_left_max": -1}}
    if role == "vice_president":
        return {"list": {"court_id": court_id, "days_left_min": 0, "days_left_max": 30}}
    if role == "president":
        return {"list": {"court_id": court_id, "filed_before": add_months(today, -12).isoformat()}}
    return {"page": f"/dashboard?court_id={court_id}"}


def _self_task(session: Session, now: datetime, **fields) -> Task:
    """A task that is its own subject: inserted, flushed for its id, then pointed at itself."""
    task = Task(kind="review_list", subject_kind="tasks", subject_id=0, created_at=now, **fields)
    session.add(task)
    session.flush()
    task.subject_id = task.id
    session.flush()
    return task


def _pending_by(session: Session, column, *where) -> dict[int, int]:
    rows = session.exec(select(column, func.count()).where(Case.state.in_(PENDING_STATES), *where).group_by(column))
    return dict(rows.all())
