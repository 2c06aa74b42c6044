"""`courtflow seed`: the demo province and the province data set, on a real database."""
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, inspect
from sqlmodel import SQLModel, select

from cli.seed import seed_command
from policies.assignment import default_assignment
from policies.calendar import load_calendar
from policies.loading import DEFAULTS_DIR, load_yaml_model
from policies.nodes import NodePolicy, planned_on
from policies.time_limits import default_time_limits
from services.kernel.actor import load_actor
from services.kernel.auth import authenticate
from services.kernel.clock import local_date
from services.demo.seed import DEMO_COURTS, seed_demo
from services.demo.scale import PROVINCES, OrgBuilder, SeedRefused, province_courts, seed_province
from services.kernel.tasks import my_tasks
from services.demo.seed import DEMO_COURTS, GUIDE, seed_demo
from store.db import Database
from store.models import Case, CaseNode, Channel, Court, Division, PanelMember, Party, RoleGrant, Task, TraceEntry, User
from store.models.case import PENDING_STATES
from store.models.org import ROLES
from store.trace import verify

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)  # 10:00 in Asia/Shanghai
TODAY = NOW.date()
STATES = {"filed", "assigned", "in_trial", "under_review", "suspended", "decided", "closed", "archived",
          "withdrawn", "mediated", "transferred"}
CASE_NUMBER = re.compile(r"^（20\d\d）辽(\d\d){0,2}(民初|民特|民终|民申|刑初|刑终|刑再|行初|行终|执)\d+号$")


def fresh_sqlite(path) -> Database:
    database = Database(f"sqlite:///{path}")
    SQLModel.metadata.create_all(database.writer)
    return database


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    database = fresh_sqlite(tmp_path_factory.mktemp("demo") / "demo.db")
    logins = seed_demo(database, NOW)
    yield database, logins
    database.dispose()


@pytest.fixture(scope="module")
def demo_db(demo):
    return demo[0]


def pending_cases(session):
    return session.exec(select(Case).where(Case.state.in_(PENDING_STATES))).all()


def test_the_demo_has_a_user_for_every_role(demo_db):
    with demo_db.read() as s:
        roles = set(s.exec(select(RoleGrant.role).distinct()).all())
    assert roles == set(ROLES) - {"system"}


def test_the_demo_cases_pass_through_every_state(demo_db):
    with demo_db.read() as s:
        states = Counter(s.exec(select(Case.state)).all())
    assert set(states) == STATES
    assert 2_900 <= sum(states.values()) <= 3_100


def test_the_demo_has_about_sixty_quota_judges_each_with_a_division_and_staff_number(demo_db):
    with demo_db.read() as s:
        judges = s.exec(select(User).where(User.is_quota_judge.is_(True))).all()
    assert 55 <= len(judges) <= 65
    assert all(j.division_id and re.fullmatch(r"J\d{5,7}", j.staff_no) for j in judges)


def test_every_division_chief_and_court_leader_finds_a_task_in_the_inbox(demo_db):
    with demo_db.read() as s:
        leaders = s.exec(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                         .where(RoleGrant.role.in_(("division_chief", "president")))).all()
        divisions = s.exec(select(func.count()).select_from(Division)).one()
        assert len(leaders) == divisions + len(DEMO_COURTS)
        for user in leaders:
            reviews = [t for t in my_tasks(s, load_actor(s, user)) if t.kind == "review_list"]  # (and four-type reports, ladder steps)
            assert reviews, f"{user.username} has nothing to act on"
            assert all(t.subject_kind == "tasks" and t.subject_id == t.id and t.due_on > TODAY for t in reviews)


def test_pending_cases_carry_their_statutory_deadline_and_some_are_due_soon_or_overdue(demo_db):
    with demo_db.read() as s:
        pending = pending_cases(s)
    limited = [c for c in pending if c.procedure != "foreign-civil"]
    assert all(c.deadline and c.unrolled_deadline and c.deadline >= c.unrolled_deadline for c in limited)
    days_left = [(c.deadline - TODAY).days for c in limited if not c.clock_stopped]
    assert any(d < 0 for d in days_left)
    for window in (3, 7, 15, 30):
        assert any(0 <= d <= window for d in days_left), f"nothing due within {window} days"


def test_closed_cases_have_a_method_and_a_decision_document(demo_db):
    with demo_db.read() as s:
        closed = s.exec(select(Case).where(Case.state.in_(("closed", "archived", "withdrawn", "mediated")))).all()
    assert all(c.closed_on and c.closing_method in ("判决", "裁定", "调解", "撤诉") for c in closed)
    assert all(c.decision_doc_ref.startswith(c.case_number) for c in closed)
    assert {c.closing_method for c in closed if c.state == "mediated"} == {"调解"}


def test_case_numbers_are_national_and_lead_judges_sit_in_the_case_division(demo_db):
    with demo_db.read() as s:
        rows = s.exec(select(Case.case_number, Case.division_id, User.division_id)
                      .join(User, User.id == Case.lead_judge_id)).all()
        courts_filed = s.exec(select(Case.state).where(Case.lead_judge_id.is_(None))).all()
    assert [n for n, _, _ in rows if not CASE_NUMBER.match(n)] == []
    assert all(case_division == judge_division for _, case_division, judge_division in rows)
    assert set(courts_filed) == {"filed"}


def seated(session) -> tuple[dict, dict]:
    """Per case with a lead judge: (its seats as {role: [user ids]}, the facts to check them by)."""
    seats: dict[int, dict] = {}
    for case_id, user_id, role in session.exec(select(PanelMember.case_id, PanelMember.user_id, PanelMember.role)):
        seats.setdefault(case_id, {}).setdefault(role, []).append(user_id)
    judges = Counter(session.exec(select(User.division_id).where(User.is_quota_judge.is_(True))).all())
    chiefs = set(session.exec(select(RoleGrant.user_id).where(RoleGrant.role == "division_chief")).all())
    pools: dict[int, set] = {}
    for user_id, court_id in session.exec(select(RoleGrant.user_id, RoleGrant.court_id).where(RoleGrant.role == "assessor")):
        pools.setdefault(court_id, set()).add(user_id)
    cases = session.exec(select(Case.id, Case.procedure, Case.court_id, Case.division_id, Case.lead_judge_id,
                                Case.assessor_ground).where(Case.lead_judge_id.is_not(None))).all()
    return seats, {"judges": judges, "chiefs": chiefs, "pools": pools, "cases": cases}


def check_panels(session) -> Counter:
    """Every assigned case sits as the policy seats it (assignment.yaml panels): the lead judge presiding; a
    panel's other judges from the division, never its chief, as many as the division has; the assessors its
    ground asks for, from the court's own pool. Returns how many cases sat by each (judges, assessors)."""
    panels, sizes = default_assignment().panels, Counter()
    seats, facts = seated(session)
    for case_id, procedure, court_id, division_id, lead, ground in facts["cases"]:
        mine = seats[case_id]
        judges, assessors = panels.seats(procedure, ground)
        others = facts["judges"][division_id] - 1 - (lead not in facts["chiefs"])  # but the chief and the lead
        assert mine["lead"] == [lead], case_id
        assert len(mine.get("member", [])) == min(judges - 1, others) and not set(mine.get("member", [])) & facts["chiefs"]
        assert len(mine.get("assessor", [])) == assessors and set(mine.get("assessor", [])) <= facts["pools"].get(court_id, set())
        assert not ground or procedure in panels.assessors.procedures
        sizes[(1 + len(mine.get("member", [])), assessors)] += 1
    assert set(seats) == {c[0] for c in facts["cases"]}, "a case without a lead judge has a panel"
    return sizes


def check_nodes(session) -> Counter:
    """Every seeded node is planned as its trigger plans it (nodes.yaml, the calendar's arithmetic): a pending
    case's filing nodes on its filing day; an assigned one's panel_fixed nodes (the parties told of the panel, an
    enforcement applicant asked for property) on the day its lead judge was seated; art. 6's nodes only after the
    applicant was asked; none triggered after today, none done before its trigger. Each open node has its task for
    whoever holds it. Returns the nodes by code."""
    standards, days = load_yaml_model(DEFAULTS_DIR / "nodes.yaml", NodePolicy), load_calendar()
    cases = {c.id: c for c in session.exec(select(Case.id, Case.procedure, Case.state, Case.filed_on,
                                                  Case.lead_judge_id))}
    seated_on = dict(session.exec(select(PanelMember.case_id, PanelMember.since).where(PanelMember.role == "lead")).all())
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.kind == "case_node"))}
    nodes = session.exec(select(CaseNode)).all()
    asked = {n.case_id: n.trigger_on for n in nodes if n.node == "property_leads_requested"}
    for n in nodes:
        case, standard = cases[n.case_id], standards.standards(cases[n.case_id].procedure)[n.node]
        assert n.planned_on == planned_on(standard, n.trigger_on, days) and n.source == standard.source, n
        assert n.trigger_on <= TODAY and (n.done_on is None or n.trigger_on <= n.done_on <= TODAY), n
        if standard.trigger == "filed":
            assert n.trigger_on == case.filed_on, n
        if standard.trigger == "panel_fixed":
            assert case.state != "filed" and n.trigger_on == seated_on[n.case_id], n
        if standard.trigger in ("property_leads_received", "investigation_requested"):
            assert n.trigger_on > asked[n.case_id], n
        if n.done_on is None:
            task, lead = tasks.pop(n.task_id), case.lead_judge_id if standard.holder == "lead_judge" else None
            role = None if lead else "clerk" if standard.holder == "lead_judge" else standard.holder
            assert (task.assignee_user_id, task.assignee_role, task.due_on) == (lead, role, n.planned_on), n
    assert tasks == {}, "a node's task without its node"
    pending_assigned = {i for i, c in cases.items() if c.state in PENDING_STATES and c.state != "filed"}
    told = {n.case_id for n in nodes if n.node == "panel_told"}
    assert told == {i for i in pending_assigned if "panel_told" in standards.standards(cases[i].procedure)}
    return Counter(n.node for n in nodes)


def test_the_demo_plans_its_cases_nodes_by_their_triggers_and_gives_them_parties(demo_db):
    with demo_db.read() as s:
        nodes = check_nodes(s)
        parties = s.exec(select(func.count()).select_from(Party)).one()
    assert {"assigned", "complaint_served", "panel_told", "enforcement_notice", "property_leads_requested",
            "property_leads_checked", "property_investigation", "archived", "published"} <= set(nodes)
    assert parties >= 2 * nodes["assigned"]


def test_every_assigned_demo_case_sits_as_the_assignment_policy_seats_it(demo_db):
    with demo_db.read() as s:
        sizes = check_panels(s)
        assessor_logins = [load_actor(s, u) for u in s.exec(select(User).where(User.title == "人民陪审员").limit(3))]
    assert sizes[(1, 0)] and sizes[(3, 0)] and sizes[(1, 2)]  # sole judges, panels of judges, three with assessors
    assert all(a.grants == () for a in assessor_logins)     # in the pool, they see nothing of the court


def test_the_demo_password_logs_in_every_shown_login(demo):
    database, demo_logins = demo
    assert [d.who for d in demo_logins.logins] == [who for who, _, _ in GUIDE]
    for login in demo_logins.logins:
        assert authenticate(database, login.username, demo_logins.password, NOW), login.username
        assert login.path.startswith("/") and "{" not in login.path and login.court == "沈阳市和平区人民法院"
    assert authenticate(database, "hp_judge01", "wrong-password", NOW) is None


def test_every_demo_user_has_a_demo_email_address(demo_db):
    with demo_db.read() as s:
        users = s.exec(select(User.id, User.username)).all()
        mail = dict(s.exec(select(Channel.user_id, Channel.target).where(Channel.kind == "email", Channel.active)).all())
    assert {uid: f"{name}@demo.courtflow.test" for uid, name in users} == mail


def test_the_seed_is_one_trace_entry_and_the_chain_holds(demo_db):
    with demo_db.read() as s:
        entries = s.exec(select(TraceEntry).where(TraceEntry.action == "seed.demo")).all()
        assert verify(s).ok
    assert len(entries) == 1 and entries[0].after["cases"] == 3_000


def test_the_demo_has_had_its_load_days_monitor_so_overdue_work_is_already_escalated(demo_db):
    today = local_date(NOW)
    with demo_db.read() as s:
        runs = s.exec(select(TraceEntry.why).where(TraceEntry.action == "flow.daily_monitor")).all()
        long_overdue = s.exec(select(Task.escalation_level).where(Task.state == "open",
                                                                  Task.due_on < today - timedelta(days=30))).all()
    assert runs == [f"日监测 {today}"]
    assert long_overdue and all(level >= 1 for level in long_overdue)


def test_seeding_the_demo_again_is_refused_and_changes_nothing(demo_db):
    with pytest.raises(SeedRefused, match="already has 7 courts"):
        seed_demo(demo_db, NOW)
    with demo_db.read() as s:
        assert s.exec(select(func.count()).select_from(Court)).one() == 7


def test_the_demo_is_the_same_every_time(demo_db, tmp_path):
    again = fresh_sqlite(tmp_path / "again.db")
    seed_demo(again, NOW)
    fingerprint = select(Case.case_number, Case.state, Case.deadline, Case.lead_judge_id).order_by(Case.id)
    with demo_db.read() as a, again.read() as b:
        assert a.exec(fingerprint).all() == b.exec(fingerprint).all()
    again.dispose()


def indexes(db) -> list[tuple[str, tuple, bool]]:
    """Every index of every table: name, columns, unique."""
    with db.read() as s:
        found = inspect(s.connection())
        return sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                      for table in found.get_table_names() for ix in found.get_indexes(table))


def test_the_province_seed_loads_courts_judges_and_a_fifth_of_cases_pending(any_db):
    schema = indexes(any_db)
    counts = seed_province(any_db, NOW, cases=20_000, judges=300, progress=False)
    assert indexes(any_db) == schema, "an index the seed dropped for the load was not built again"
    if any_db.is_sqlite:  # the load does not check foreign keys row by row: every row refers to a row there
        with any_db.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert counts["cases"] == 20_000 and counts["quota_judges"] == 300
    assert 0.17 <= counts["pending_cases"] / counts["cases"] <= 0.25
    with any_db.write() as s:
        procedures = Counter(s.exec(select(Case.procedure)).all())
        court = Court(code="辽99", name="新设法院", level="basic")
        s.add(court)
        s.flush()
        task = Task(kind="review_list", title="新任务", subject_kind="tasks", subject_id=0, court_id=court.id)
        s.add(task)
        s.flush()
        assert court.id > counts["courts"] and task.id > counts["tasks"], "an id sequence was not moved past the seeded rows"
    # 国家赔偿 is decided by the compensation committees, not drawn into the data set's divisions
    assert set(procedures) == set(default_time_limits().procedures) - {"state-compensation"}
    with any_db.read() as s:
        nodes = check_nodes(s)
        open_nodes = s.exec(select(func.count()).select_from(CaseNode).where(CaseNode.done_on.is_(None))).one()
        assert s.exec(select(func.count()).select_from(Task).where(Task.kind == "case_node")).one() == open_nodes > 0
    assert {"assigned", "complaint_served", "panel_told", "enforcement_notice", "property_leads_requested",
            "property_leads_checked", "property_investigation", "archived", "published"} <= set(nodes)
    assert nodes["assigned"] >= counts["pending_cases"] and counts["case_nodes"] == sum(nodes.values())
    assert counts["parties"] >= 2 * counts["pending_cases"]
    with any_db.read() as s:
        sizes = check_panels(s)
    assert sizes[(3, 0)] and sizes[(1, 2)] and sizes[(3, 4)]  # 七人合议庭 too (第十六条)
    assert counts["panel_seats"] == sum((j + a) * n for (j, a), n in sizes.items())
    assert counts["assessors"] >= 3 * 300 * 0.8                # three per judge in the courts that try with them
    civil = sum(n for p, n in procedures.items() if p.startswith("civil-"))
    assert procedures["enforcement"] > procedures["criminal-first-public"] and 0.35 < civil / 20_000 < 0.6


def test_the_full_province_has_115_courts_and_six_thousand_quota_judges():
    rng = random.Random(1)
    specs = province_courts(rng, 6_000)
    org = OrgBuilder(rng, {t: 1 for t in ("court", "division", "team", "users")}, "x").build(specs, 6_000)
    assert Counter(c["level"] for c in org.rows["court"]) == {"high": 1, "intermediate": 14, "basic": 100}
    assert sum(u["is_quota_judge"] for u in org.rows["users"]) == 6_000
    assert len({u["username"] for u in org.rows["users"]}) == len(org.rows["users"])


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    database = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setattr("cli.seed.database", lambda: database)
    yield database
    database.dispose()


def test_the_command_seeds_the_demo_once_and_prints_the_logins(cli_db, capsys):
    assert seed_command(["--demo", "--now", "2025-03-03"]) == 0
    out = capsys.readouterr().out
    assert "hp_chief_civil1" in out and "hp_trial_office" in out and "/reviews/mine" in out and "courtflow-demo" in out
    assert seed_command(["--demo", "--if-empty"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert seed_command(["--demo"]) == 1
    assert "already has 7 courts" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["--demo", "--scale", "province"], ["--scale", "county"],
                                  ["--demo", "--cases", "10"], ["--scale", "province", "--cases", "0"],
                                  ["--demo", "--now", "2025-02-30"], ["--demo", "--now", "20250303"]])
def test_the_command_refuses_bad_arguments_with_exit_2(argv, capsys):
    assert seed_command(argv) == 2
    assert capsys.readouterr().err.startswith("courtflow seed: error:")


def test_the_demo_has_last_months_quality_reviews_some_graded(demo_db):
    from store.models import Review, ReviewDraw

    with demo_db.read() as s:
        draws = s.exec(select(ReviewDraw)).all()
        graded = s.exec(select(Review).where(Review.state == "graded")).all()
    assert draws and all(d.seed.startswith("demo-") for d in draws)
    assert len(graded) >= 4 and {"pass", "flaw", "major_flaw", "error"} <= {r.grade for r in graded}
    assert all(r.reviewer_id not in (r.judge_id, None) for r in graded)


def test_the_demo_has_three_months_of_assessment_and_the_ladder_started(demo_db):
    from store.models import AssessmentRecord, LadderStep

    with demo_db.read() as s:
        months = s.exec(select(AssessmentRecord.period).where(AssessmentRecord.period_kind == "month").distinct()).all()
        steps = s.exec(select(LadderStep)).all()
    assert sorted(months) == ["2024-12", "2025-01", "2025-02"] and steps


def test_two_provinces_seed_side_by_side_each_under_its_own_codes_and_people(any_db):
    """The country benchmark's seed: a second province beside the first, its courts under its own 法院代字 and
    hierarchy, its people with their own usernames and staff numbers, its parties and nodes only its own."""
    jilin = PROVINCES[1]
    first = seed_province(any_db, NOW, cases=2_000, judges=300, progress=False)
    both = seed_province(any_db, NOW, cases=2_000, judges=300, progress=False, province=jilin)
    same_draws = ("courts", "divisions", "teams", "users", "quota_judges", "cases", "pending_cases", "parties",
                  "assessors")  # the nodes' draws follow the rows' read order, which PostgreSQL does not fix
    assert {k: both[k] for k in same_draws} == {k: 2 * first[k] for k in same_draws}
    assert both["case_nodes"] < 2.1 * first["case_nodes"]  # the first province's cases got no second set
    with any_db.read() as s:
        courts = s.exec(select(Court.code, Court.name, Court.path)).all()
        numbers = s.exec(select(Case.case_number, Court.code).join(Court, Court.id == Case.court_id)).all()
        people = s.exec(select(User.staff_no, User.username, Court.code).join(Court, Court.id == User.court_id)).all()
    high = {code: path for code, _, path in courts if len(code) == 1}
    assert set(high) == {"辽", "吉"}
    assert all(path.startswith(high[code[0]]) for code, _, path in courts)  # each province its own hierarchy
    assert {name for code, name, _ in courts if code[0] == "吉"} >= {"吉林省高级人民法院", "吉林省沈阳市中级人民法院"}
    assert all(number.split("）", 1)[1].startswith(code) for number, code in numbers)
    assert len({n for n, _ in numbers}) == len(numbers)
    assert all(user.startswith("jl_") == (code[0] == "吉") for _, user, code in people)
    assert all(no.startswith("JL") == (code[0] == "吉") for no, _, code in people if no)
    assert authenticate(any_db, "jl_president", "courtflow-demo", NOW) and authenticate(any_db, "ln_president",
                                                                                        "courtflow-demo", NOW)
    with pytest.raises(SeedRefused, match="courts of 吉"):
        seed_province(any_db, NOW, cases=2_000, judges=300, progress=False, province=jilin)
