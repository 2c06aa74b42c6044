"""`courtflow seed --demo`: a small Liaoning province to try every role with.

Seven courts (辽宁高院, 沈阳 and 大连 中院, four basic courts), ~60 quota judges, ~3,000 cases
over the two years before `now` in every state, and an open task for every division chief
and court leader. Usernames are readable (hp_judge01, hp_chief_civil1, ln_trial_office) and
share one password. The same `now` always gives the same data.
"""
import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from policies.calendar import load_calendar
from policies.deadline import add_months, local_date
from policies.time_limits import default_time_limits
from services.supervision.rules import sweep_four_type
from services.demo.quota_exit import seed_quota_exits
from services.kernel.passwords import hash_password
from services.demo.petitions import seed_petitions
from services.demo.quality_review import seed_reviews
from services.demo.data import HIGH_COURT, CaseMaker
from services.demo.scale import (DEMO_PASSWORD, SEED, CourtSpec, Org, OrgBuilder, SeedRefused, finish,
                                 insert_cases, insert_org, prepare)
from store.models import Case, Task
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
# one login to show per role of SPEC §0 (system is not a person)
LOGINS = (("judge", "hp_judge01"), ("assistant", "hp_assistant01"), ("clerk", "hp_clerk01"),
          ("filing_clerk", "hp_filing"), ("division_chief", "hp_chief_civil1"), ("vice_president", "hp_vp"),
          ("president", "hp_president"), ("trial_office", "ln_trial_office"), ("inspection", "ln_inspection"),
          ("personnel", "ln_personnel"), ("committee", "hp_committee"))
# (role, per division?, title): the review each leader finds in the inbox on first login
REVIEWS = (("division_chief", True, "审阅本庭超审限案件清单"), ("president", False, "审阅本院长期未结案件清单"),
           ("vice_president", False, "审阅分管庭室临近审限案件清单"), ("trial_office", False, "审阅本院审判运行态势月报"))


DemoAlreadySeeded = SeedRefused  # the name `courtflow serve` catches


@dataclass(frozen=True)
class DemoLogins:
    password: str
    logins: list[tuple[str, str, str]]  # (role, username, court name)

    def table(self) -> str:
        lines = ["演示账号 demo logins:", f"  {'role':<16}{'username':<18}court"]
        lines += [f"  {role:<16}{username:<18}{court}" for role, username, court in self.logins]
        return "\n".join(lines + [f"密码 password (all users): {self.password}"])


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
        maker = CaseMaker(rng, org.slots, local_date(now), ids["cases"], load_calendar(), default_time_limits())
        insert_cases(session, maker, DEMO_CASES)
        sweep_four_type(session, local_date(now), now)  # the demo's four-type cases, as the monitor flags them
        open_review_tasks(session, org, now)
        finish(session, now, "seed.demo")
    seed_quota_exits(db, now)
    seed_petitions(db, now)
    seed_reviews(db, now, seed=f"demo-{SEED}")
    seed_assessment(db, now)
    return DemoLogins(DEMO_PASSWORD, demo_logins(org))


def seed_assessment(db, now: datetime) -> None:
    """The last three whole months assessed, so the dashboards, records and ladder have something to show."""
    from services.assessment.monthly import run_monthly_assessment

    first_of_month = local_date(now).replace(day=1)
    for months_back in (2, 1, 0):
        run_monthly_assessment(db, add_months(first_of_month, -months_back), now)


def demo_logins(org: Org) -> list[tuple[str, str, str]]:
    users = {u["username"]: u for u in org.rows["users"]}
    courts = {c["id"]: c["name"] for c in org.rows["court"]}
    return [(role, name, courts[users[name]["court_id"]]) for role, name in LOGINS]


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
                       context={"as_of": today.isoformat(), "cases": count})


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
