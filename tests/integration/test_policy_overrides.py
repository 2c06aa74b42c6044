"""Policy overrides: refused naming the key, a diff against the policy in force, a what-if over the last 12
months that writes and sends nothing, versions kept with who and why, keys a higher court locks, and an
effective date the daily monitor and the monthly assessment follow from that day only."""
from datetime import date, timedelta

from sqlmodel import func, select

from policies.periods import Period
from services.assessment.monthly import policy_groups
from services.kernel.policy import policy
from services.kernel.sweeps import run_daily_monitor
from store.models import Notice, Task, TraceEntry
from services.cases.filing import CaseCreate, file_case
from tests.case_helpers import act, actor, at, case_row, designate, file
from tests.factories import add_user, small_world
from tests.integration.conftest import login

THRESHOLDS = "warnings:\n  days_before: [20, 10, 5]\n"


def _world(db):
    world = small_world(db)
    with db.write() as s:
        add_user(s, world, "admin_hp", "hp", ["court_admin"])
        add_user(s, world, "admin_high", "high", ["court_admin"], subtree=True)
    return world


def _url(world, court="hp", name="monitoring", action=""):
    return f"/api/v1/admin/courts/{world.courts[court].id}/policies/{name}" + (f"/{action}" if action else "")


def _count(db, model) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_an_override_with_a_bad_key_is_refused_naming_the_key(client, any_db):
    world = _world(any_db)
    headers = login(client, "admin_hp")
    r = client.post(_url(world, action="check"), headers=headers, json={"yaml": "warnings:\n  day_before: [20]\n"})
    assert r.status_code == 422 and "warnings.day_before" in r.text
    r = client.post(_url(world, action="check"), headers=headers, json={"data": {"warnings": {"days_before": [0]}}})
    assert r.status_code == 422 and "warnings.days_before" in r.text
    r = client.post(_url(world, action="check"), headers=headers, json={"yaml": "a: 1\na: 2\n"})
    assert r.status_code == 422 and "appears twice" in r.text
    r = client.post(_url(world, action="versions"), headers=headers,
                    json={"yaml": "warnings:\n  day_before: [20]\n", "effective_from": "2025-04-01", "why": "试行"})
    assert r.status_code == 422 and "warnings.day_before" in r.text
    assert client.get(_url(world), headers=headers).json()["versions"] == []


def test_a_valid_override_shows_its_diff_and_its_what_if_without_writing_anything(client, any_db):
    world = _world(any_db)
    case_id = file(any_db, world, number="（2024）辽0102民初1号", filed="2024-05-06")
    designate(any_db, world, case_id, day="2024-05-07")
    headers = login(client, "admin_hp")
    diff = client.post(_url(world, action="check"), headers=headers, json={"yaml": THRESHOLDS}).json()["changes"]
    assert diff == [{"key": "warnings.days_before", "before": [30, 15, 7, 3], "after": [20, 10, 5]}]
    before = (_count(any_db, Notice), _count(any_db, Task), _count(any_db, TraceEntry))
    r = client.post(_url(world, action="what-if"), headers=headers, json={"yaml": THRESHOLDS, "months": 12})
    assert r.status_code == 200, r.text
    result = r.json()
    assert (result["from"], result["to"]) == ("2024-03-01", "2025-02-28")
    warnings = next(s for s in result["courts"][0]["sections"] if s["title"] == "warnings")
    assert (warnings["before"], warnings["after"]) == (4, 3)  # 30/15/7/3 days before its deadline → 20/10/5
    assert warnings["rows"] == [{"label": "judge_a", "before": 4, "after": 3}]
    assert (_count(any_db, Notice), _count(any_db, Task), _count(any_db, TraceEntry)) == before  # a sandbox


def test_an_override_takes_effect_on_its_date_and_the_monitor_follows_it_from_then(client, any_db, now):
    world = _world(any_db)
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    deadline = case_row(any_db, case_id).deadline
    effective = deadline - timedelta(days=25)
    headers = login(client, "admin_hp")
    past = client.post(_url(world, action="versions"), headers=headers,
                       json={"yaml": THRESHOLDS, "effective_from": (now.date() - timedelta(days=1)).isoformat(),
                             "why": "试行"})
    assert past.status_code == 422 and "effective_from" in past.text
    saved = client.post(_url(world, action="versions"), headers=headers,
                        json={"yaml": THRESHOLDS, "effective_from": effective.isoformat(), "why": "试行三级预警"})
    assert saved.status_code == 201, saved.text
    with any_db.read() as s:
        assert policy(s, world.courts["hp"].id, "monitoring").warnings.days_before == [30, 15, 7, 3]

    day_before = effective - timedelta(days=1)
    run_daily_monitor(any_db, day_before, at(day_before.isoformat()))   # 26 days left: the old 30-day warning
    run_daily_monitor(any_db, effective, at(effective.isoformat()))      # 25 days left: nothing under 20/10/5
    twenty = deadline - timedelta(days=20)
    run_daily_monitor(any_db, twenty, at(twenty.isoformat()))
    with any_db.read() as s:
        keys = [n.dedupe_key.split(":")[2] for n in s.exec(select(Notice).where(Notice.kind == "deadline_warning")
                                                            .order_by(Notice.id))]
        assert keys == ["30", "20"]
        assert policy(s, world.courts["hp"].id, "monitoring").warnings.days_before == [20, 10, 5]
        entry = s.exec(select(TraceEntry).where(TraceEntry.action == "policy.override")).one()
        assert (entry.actor, entry.why) == ("admin_hp", "试行三级预警")
    versions = client.get(_url(world), headers=headers).json()["versions"]
    assert [(v["version"], v["effective_from"], v["applied_at"] is not None) for v in versions] == [
        (1, effective.isoformat(), True)]


def test_the_monthly_assessment_follows_an_override_from_its_date_only(client, any_db):
    world = _world(any_db)
    headers = login(client, "admin_hp")
    r = client.post(_url(world, name="assessment", action="versions"), headers=headers,
                    json={"data": {"closure_goal": 0.95}, "effective_from": "2025-04-01", "why": "提高结案率目标"})
    assert r.status_code == 201, r.text
    hp = world.courts["hp"].id
    with any_db.read() as s:
        march = {c: p.closure_goal for p, courts in policy_groups(s, Period("month", 2025, 3).end) for c in courts}
        april = {c: p.closure_goal for p, courts in policy_groups(s, Period("month", 2025, 4).end) for c in courts}
    assert (march[hp], april[hp]) == (0.9, 0.95)
    assert april[world.courts["sh"].id] == 0.9  # the neighbour court keeps the default


def test_a_higher_court_locks_a_key_its_lower_courts_may_not_override(client, any_db):
    world = _world(any_db)
    high = login(client, "admin_high")
    r = client.post(_url(world, court="high", action="versions"), headers=high,
                    json={"data": {}, "effective_from": "2025-03-03", "why": "全省统一预警节点",
                          "locks": ["warnings.days_before"]})
    assert r.status_code == 201, r.text
    refused = client.post(_url(world, action="check"), headers=login(client, "admin_hp"), json={"yaml": THRESHOLDS})
    assert refused.status_code == 422 and "warnings.days_before" in refused.text and "辽" in refused.text
    assert client.get(_url(world), headers=login(client, "admin_hp")).json()["locked_keys"] == {
        "warnings.days_before": "辽"}


def test_the_subtree_what_if_of_a_higher_court_covers_each_court_below(client, any_db):
    world = _world(any_db)
    with any_db.write() as s:
        add_user(s, world, "filing_sh", "sh", ["filing_clerk"])
    hp_case = file(any_db, world, number="（2024）辽0102民初1号", filed="2024-05-06")
    designate(any_db, world, hp_case, day="2024-05-07")
    sh_case = file_case(any_db, actor(any_db, "filing_sh"), CaseCreate(
        case_number="（2024）辽0103民初1号", cause="民间借贷纠纷", procedure="civil-first-ordinary",
        division_id=world.divisions["sh_civil"].id, filed_on=date(2024, 5, 6)), at("2024-05-06"))
    act(any_db, "chief_sh", "cases", sh_case, "assign",
        {"method": "designated", "judge_id": world.users["judge_sh"].id, "reason": "专业审判团队"}, "2024-05-07")
    r = client.post(_url(world, court="high", action="what-if"), headers=login(client, "admin_high"),
                    json={"yaml": THRESHOLDS, "months": 12})
    assert r.status_code == 200, r.text
    courts = {c["court"]: next(s for s in c["sections"] if s["title"] == "warnings") for c in r.json()["courts"]}
    assert {code: (s["before"], s["after"]) for code, s in courts.items() if s["before"]} == {
        "辽0102": (4, 3), "辽0103": (4, 3)}
    totals = next(s for s in r.json()["totals"] if s["title"] == "warnings")
    assert (totals["before"], totals["after"]) == (8, 6)


def test_only_the_keepers_of_a_court_change_its_policies(client, any_db):
    world = _world(any_db)
    assert client.post(_url(world, action="check"), headers=login(client, "judge_a"),
                       json={"yaml": THRESHOLDS}).status_code == 403
    assert client.post(_url(world, court="sh", action="check"), headers=login(client, "admin_hp"),
                       json={"yaml": THRESHOLDS}).status_code == 404
    assert client.post(_url(world, name="nonsense", action="check"), headers=login(client, "admin_hp"),
                       json={"yaml": THRESHOLDS}).status_code == 404
    assert date.today()  # the clock of these tests is the `now` fixture


# --- a division's override ------------------------------------------------------------------------------

def test_a_division_overrides_where_the_policy_allows_after_its_court_within_the_locks_above(client, any_db, now):
    """court < division: the division's override merges last, versioned on its own, takes effect on its date,
    and respects the keys its court and the courts above lock; its what-if diffs against the division's policy."""
    from store.models import ReassignmentRequest

    world = _world(any_db)
    headers, hp = login(client, "admin_hp"), world.courts["hp"].id
    civil, criminal = world.divisions["hp_civil"].id, world.divisions["hp_criminal"].id
    url = _url(world, name="assignment", action="versions")
    today = now.date().isoformat()
    court = client.post(url, headers=headers, json={"yaml": "reassignment:\n  reasons:\n    健康: vice_president\n",
                                                    "effective_from": today, "why": "全院：病休变更由副院长审批"})
    assert court.status_code == 201, court.text
    division = client.post(f"{url}?division_id={civil}", headers=headers, json={
        "yaml": "reassignment:\n  reasons:\n    回避: vice_president\n", "effective_from": today, "why": "民庭：回避由副院长审批"})
    assert division.status_code == 201, division.text
    assert (division.json()["division_id"], division.json()["version"]) == (civil, 1)  # its own numbering
    with any_db.read() as s:
        in_civil = policy(s, hp, "assignment", civil).reassignment.reasons
        in_criminal = policy(s, hp, "assignment", criminal).reassignment.reasons
    assert (in_civil["健康"], in_civil["回避"]) == ("vice_president", "vice_president")  # the court's, then its own
    assert (in_criminal["健康"], in_criminal["回避"]) == ("vice_president", "division_chief")  # the court's only
    shown = client.get(_url(world, name="assignment") + f"?division_id={civil}", headers=headers).json()
    assert shown["override"] == {"reassignment": {"reasons": {"回避": "vice_president"}}}
    assert [v["version"] for v in shown["versions"]] == [1]
    # the case in the civil division follows it: 回避 goes to the vice president, not the chief
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    act(any_db, "judge_a", "cases", case_id, "request_reassignment", {"reason_code": "回避", "reason": "与原告系同学"})
    with any_db.read() as s:
        assert s.exec(select(ReassignmentRequest.approver_role)).one() == "vice_president"

    # what-if of a division's override: the diff against the division's policy in force
    what = client.post(_url(world, name="assignment", action="what-if") + f"?division_id={civil}", headers=headers,
                       json={"yaml": "reassignment:\n  reasons:\n    回避: president\n", "months": 12})
    assert what.status_code == 200, what.text
    assert what.json()["changes"] == [{"key": "reassignment.reasons.回避", "before": "vice_president",
                                       "after": "president"}]
    # locks: the court's own lock binds its divisions; a key locked above is refused naming the key and the court
    locked = client.post(url, headers=headers, json={"yaml": "reassignment:\n  reasons:\n    健康: vice_president\n",
                                                     "effective_from": today, "why": "全院统一", "locks": ["fast_track"]})
    assert locked.status_code == 201, locked.text
    refused = client.post(_url(world, name="assignment", action="check") + f"?division_id={civil}", headers=headers,
                          json={"yaml": "fast_track:\n  procedures: [civil-small-claims]\n"})
    assert refused.status_code == 422 and "fast_track" in refused.text and "辽0102" in refused.text
    assert client.post(f"{url}?division_id={civil}", headers=headers, json={
        "yaml": "", "effective_from": today, "why": "x", "locks": ["designated"]}).status_code == 422  # locks nothing
    # a policy set per court only, another court's division, a bad key: refused, never a 500
    not_scoped = client.post(_url(world, name="petitions", action="check") + f"?division_id={civil}",
                             headers=headers, json={"yaml": ""})
    assert not_scoped.status_code == 422 and "petitions" in not_scoped.text
    elsewhere = client.post(_url(world, name="assignment", action="check") + f"?division_id="
                            f"{world.divisions['sh_civil'].id}", headers=headers, json={"yaml": ""})
    assert elsewhere.status_code == 404
    bad = client.post(_url(world, name="assignment", action="check") + f"?division_id={civil}", headers=headers,
                      json={"yaml": "reassignment:\n  reasonz: {}\n"})
    assert bad.status_code == 422 and "reasonz" in bad.text


def test_a_division_override_dated_later_takes_effect_on_its_date(client, any_db, now):
    from services.kernel.policy import apply_due_versions

    world = _world(any_db)
    headers, hp, civil = login(client, "admin_hp"), world.courts["hp"].id, world.divisions["hp_civil"].id
    later = now.date() + timedelta(days=10)
    r = client.post(_url(world, name="assignment", action="versions") + f"?division_id={civil}", headers=headers,
                    json={"yaml": "fast_track:\n  procedures: [civil-small-claims]\n",
                          "effective_from": later.isoformat(), "why": "民庭：仅小额诉讼进速裁"})
    assert r.status_code == 201, r.text
    with any_db.write() as s:
        assert "civil-first-simplified" in policy(s, hp, "assignment", civil).fast_track.procedures
        apply_due_versions(s, later - timedelta(days=1), now)
        assert "civil-first-simplified" in policy(s, hp, "assignment", civil).fast_track.procedures
        apply_due_versions(s, later, now)
    with any_db.read() as s:
        assert policy(s, hp, "assignment", civil).fast_track.procedures == ["civil-small-claims"]
        assert "civil-first-simplified" in policy(s, hp, "assignment").fast_track.procedures  # the court's unchanged


# --- a division's monitoring override: the daily monitor and the what-if by place --------------------------------

def _case_in_each_division(db, world, filed: str, assigned: str) -> tuple[int, int]:
    """A civil case (judge_a) and a case of the criminal division (its one judge, judge_x), filed the same day."""
    with db.write() as s:
        add_user(s, world, "judge_x", "hp", ["judge"], "hp_criminal", quota_judge=True)
    year = filed[:4]
    civil = file(db, world, number=f"（{year}）辽0102民初1号", filed=filed)
    designate(db, world, civil, day=assigned)
    criminal = file_case(db, actor(db, "filing"), CaseCreate(
        case_number=f"（{year}）辽0102民初2号", cause="民间借贷纠纷", procedure="civil-first-ordinary",
        division_id=world.divisions["hp_criminal"].id, filed_on=date.fromisoformat(filed)), at(filed))
    act(db, "filing", "cases", criminal, "assign", {"method": "random"}, assigned)
    return civil, criminal


def test_a_division_override_of_the_warning_days_changes_that_divisions_warnings_only_from_its_date(
        client, any_db, now):
    world = _world(any_db)
    civil, criminal = _case_in_each_division(any_db, world, "2025-01-06", "2025-01-07")
    deadline = case_row(any_db, civil).deadline
    assert case_row(any_db, criminal).deadline == deadline
    effective = deadline - timedelta(days=25)
    r = client.post(_url(world, action="versions") + f"?division_id={world.divisions['hp_civil'].id}",
                    headers=login(client, "admin_hp"),
                    json={"yaml": THRESHOLDS, "effective_from": effective.isoformat(), "why": "民庭试行三级预警"})
    assert r.status_code == 201, r.text
    for day in (effective - timedelta(days=1), effective, deadline - timedelta(days=20), deadline - timedelta(days=15)):
        run_daily_monitor(any_db, day, at(day.isoformat()))  # 26, 25, 20 and 15 days left
    with any_db.read() as s:
        sent = [(n.subject_id, n.dedupe_key.split(":")[2]) for n in s.exec(
            select(Notice).where(Notice.kind == "deadline_warning").order_by(Notice.id))]
    assert [k for c, k in sent if c == civil] == ["30", "20"]      # 30/15/7/3 until the day before, then 20/10/5
    assert [k for c, k in sent if c == criminal] == ["30", "15"]   # the court's 30/15/7/3 throughout


def test_the_what_if_replays_a_divisions_override_over_its_cases_and_a_courts_around_its_divisions(client, any_db):
    world = _world(any_db)
    _case_in_each_division(any_db, world, "2024-05-06", "2024-05-07")
    headers, civil = login(client, "admin_hp"), world.divisions["hp_civil"].id
    r = client.post(_url(world, action="what-if") + f"?division_id={civil}", headers=headers,
                    json={"yaml": THRESHOLDS, "months": 12})
    assert r.status_code == 200, r.text
    [court] = r.json()["courts"]
    warnings = next(s for s in court["sections"] if s["title"] == "warnings")
    assert (warnings["before"], warnings["after"]) == (4, 3)  # the civil case only: 30/15/7/3 → 20/10/5
    assert warnings["rows"] == [{"label": "judge_a", "before": 4, "after": 3}]
    saved = client.post(_url(world, action="versions") + f"?division_id={civil}", headers=headers,
                        json={"yaml": THRESHOLDS, "effective_from": "2025-03-03", "why": "民庭试行三级预警"})
    assert saved.status_code == 201, saved.text
    r = client.post(_url(world, action="what-if"), headers=headers,
                    json={"yaml": "warnings:\n  days_before: [40]\n", "months": 12})
    warnings = next(s for s in r.json()["courts"][0]["sections"] if s["title"] == "warnings")
    assert (warnings["before"], warnings["after"]) == (7, 4)  # civil keeps its own 3; criminal 4 → 1
    assert warnings["rows"] == [{"label": "judge_x", "before": 4, "after": 1}]


def test_the_monitor_shares_sweep_a_division_with_its_own_override_apart(any_db):
    from services.kernel.policy import Scope
    from services.kernel.sweeps import monitor_shares
    from store.models import PolicyOverride

    world = _world(any_db)
    civil = world.divisions["hp_civil"].id
    with any_db.write() as s:
        s.add(PolicyOverride(court_id=world.courts["hp"].id, division_id=civil, name="monitoring", data={
            "warnings": {"days_before": [20, 10, 5]}}))
    with any_db.read() as s:
        shares = monitor_shares(s, 2)
        assert shares[-1] == Scope((world.courts["hp"].id,), (civil,))
        assert sorted(c for share in shares[:-1] for c in share.courts) == sorted(c.id for c in world.courts.values())
        assert all(share.besides == (civil,) for share in shares[:-1])
        assert monitor_shares(s, 1) == [Scope(None, besides=(civil,)), Scope((world.courts["hp"].id,), (civil,))]
