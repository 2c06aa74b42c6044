"""The whole 体检表 (issue 21) on a hand-built court equals the values worked out by hand, on SQLite and
PostgreSQL; every figure's drill-down lists exactly the cases (petitions, or case nodes) it counts, court to judge."""
from datetime import date

import pytest

from policies.periods import Period
from policies.registry import build
from services.assessment.indicator_counts import drill_down
from services.assessment.indicators import indicator_report
from store.models import AppealOutcome, CaseNode, EnforcementCheck, Petition
from tests.factories import small_world
from tests.integration.test_indicators import add_case

D = date.fromisoformat
MARCH = Period.parse("2025-03")


def petition(s, world, registered, merged_into=None):
    p = Petition(court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id, channel="letter",
                 petitioner="张三", matter="case_progress", summary="催办", registered_on=D(registered),
                 due_on=D(registered), remind_on=D(registered), escalate_on=D(registered), merged_into_id=merged_into)
    s.add(p)
    s.flush()
    return p.id


def node(s, world, case_id, code, planned, done=None, late=False, note="", exemption=None):
    n = CaseNode(case_id=case_id, court_id=world.courts["hp"].id, node=code, source="test", trigger_on=D(planned),
                 planned_on=D(planned), done_on=D(done) if done else None, late=late, note=note,
                 exemption_ground=exemption)
    s.add(n)
    s.flush()
    return n.id


def checklist(s, case_id, items):
    for item in items:
        s.add(EnforcementCheck(case_id=case_id, item=item, recorded_on=D("2025-03-01"), evidence="执行通知书"))


@pytest.fixture
def court(any_db):
    world = small_world(any_db)
    ids = {}
    with any_db.write() as s:
        ids["c0"] = add_case(s, world, 100, "judge_a", "2024-05-01", deadline="2024-11-01", closed="2024-10-01", method="判决")
        ids["c1"] = add_case(s, world, 1, "judge_a", "2025-01-10", deadline="2025-07-10", closed="2025-03-05", method="判决")
        ids["c2"] = add_case(s, world, 2, "judge_a", "2024-01-05", deadline="2024-07-05")
        ids["c3"] = add_case(s, world, 3, "judge_b", "2025-03-10", deadline="2025-09-10")
        ids["c4"] = add_case(s, world, 4, "judge_b", "2025-02-01", "enforcement", "2025-08-01", "2025-03-03", "终本")
        ids["c5"] = add_case(s, world, 5, "judge_b", "2025-03-01", "enforcement", "2025-09-01", "2025-03-21", "终本",
                             related_to=ids["c1"])
        checklist(s, ids["c4"], build("enforcement").terminate_round.items)  # every item: a lawful 终本
        checklist(s, ids["c5"], ["notice_and_report_order", "consumption_restriction"])  # two items only
        ids["a1"] = add_case(s, world, 6, None, "2025-03-15", "civil-appeal-judgment", "2025-06-15", "2025-03-28", "判决",
                             court="mid", division=None, related_to=ids["c1"])
        ids["a2"] = add_case(s, world, 7, None, "2025-01-05", "civil-appeal-judgment", "2025-04-05", "2025-03-20", "判决",
                             court="mid", division=None, related_to=ids["c0"])
        ids["r1"] = add_case(s, world, 8, None, "2025-03-12", "civil-retrial-review", "2025-06-12", "2025-03-30", "裁定",
                             court="mid", division=None, related_to=ids["c0"])
        s.add(AppealOutcome(case_id=ids["c1"], outcome="revised", appeal_case_number="（2025）测6号", decided_on=D("2025-03-28")))
        first = petition(s, world, "2025-03-04")
        ids["p1"], ids["p2"] = first, petition(s, world, "2025-03-18")
        petition(s, world, "2025-03-19", merged_into=first)  # a duplicate merged into the first: not counted again
        ids["n1"] = node(s, world, ids["c1"], "assigned", "2025-03-08", "2025-03-07")               # on time
        ids["n2"] = node(s, world, ids["c3"], "complaint_served", "2025-03-15", "2025-03-18", late=True)
        ids["n3"] = node(s, world, ids["c3"], "panel_told", "2025-03-31")                           # not done
        node(s, world, ids["c2"], "hearing_notified", "2025-03-20", "2025-03-19", note="dropped")   # no one's to do
        ids["n5"] = node(s, world, ids["c1"], "published", "2025-03-12", "2025-03-10")              # on time
        ids["n6"] = node(s, world, ids["c4"], "published", "2025-03-25", "2025-03-24", exemption="other")
        ids["n7"] = node(s, world, ids["c0"], "published", "2025-03-28", "2025-04-02", late=True)  # after March
        ids["n9"] = node(s, world, ids["c3"], "published", "2025-03-30", "2025-03-31", late=True)  # late, in March
        ids["n10"] = node(s, world, ids["c1"], "archived", "2025-06-05")                           # due in June
    return any_db, world, ids


HAND = {  # 和平区法院, March 2025
    "closure_rate": 0.6,                         # 3 closed (c1 c4 c5) ÷ (3 carried c1 c2 c4 + 2 received c3 c5)
    "closed_received_ratio": 1.5,                # 3 ÷ 2
    "avg_days_to_disposition": 34.7,             # (54 + 30 + 20) ÷ 3
    "long_pending_share": 0.5,                   # c2 (filed 2024-01) of 2 pending on 31 March
    "clearance_rate": 0.6667,                    # c1 and c4 of 3 carried over
    "within_limit_rate": 1.0,                    # all 3 inside their limits
    "first_enforcement_avg_days": 30.0,          # c4 only: c5 is a resumed enforcement (related to c1)
    "revise_remand_rate": 1.0,                   # c1 revised on appeal, of 1 first-instance closed
    "first_instance_revise_remand_ratio": 0.5,   # appeals closed in March against its cases: a1 revised, a2 not
    "retrial_revise_remand_ratio": 0.0,          # r1 closed, c0 not revised
    "retrial_petition_rate": 1.0,                # r1 filed ÷ 1 first-instance or appeal case closed (c1)
    "acceptance_rate": 0.0,                      # 1 − 1 appeal filed in March (a1) ÷ 1 first-instance closed
    "mediation_withdrawal_rate": 0.0,            # none of 3
    "case_dispute_ratio": 2.0,                   # 2 received ÷ 1 of its own (c5 is related to c1)
    "petitions_per_hundred": 100.0,              # 2 petitions (the merged duplicate not) × 100 ÷ 2 received
    "node_punctuality": 0.4286,                  # n1 n5 n6 on time of 7 due in March (n1 n2 n3 n5 n6 n7 n9; dropped not)
    "publication_rate": 0.6667,                  # n5 n9 published by 31 March of 3 due (n6 exempted is not due)
    "publication_on_time_rate": 0.3333,          # n5 only
    "termination_rate": 1.0,                     # c4 and c5 closed by 终本, of 2 enforcement closed
    "lawful_termination_share": 0.5,             # c4's checklist complete, c5's two items only
    "enforcement_fulfilment_rate": None,         # no amounts recorded
    "enforcement_completion_rate": None,         # no 执行完毕 closing method
    "state_compensation_received": None,
}


def march(db):
    with db.read() as s:
        return indicator_report(s, MARCH, build("indicators"))


def test_the_whole_catalogue_equals_the_hand_computed_values(court):
    db, world, _ = court
    hp = next(u for u in march(db)["units"] if u["level"] == "court" and u["id"] == world.courts["hp"].id)
    assert {k: v["value"] for k, v in hp["indicators"].items()} == HAND
    long_pending = hp["indicators"]["long_pending_share"]
    assert long_pending["range"] == {"low": None, "high": 0.02} and long_pending["normal"] is False  # a basic court's range
    assert {v["group"] for v in hp["indicators"].values()} == {"quality", "efficiency", "effect"}
    assert hp["indicators"]["enforcement_fulfilment_rate"]["awaiting"] == "enforcement_amounts"
    assert hp["indicators"]["publication_rate"]["awaiting"] is None


def test_each_figure_opens_exactly_the_cases_it_counts(court):
    db, world, ids = court
    policy = build("indicators")
    units = [u for u in march(db)["units"] if u["court_id"] == world.courts["hp"].id]
    assert {u["level"] for u in units} == {"court", "division", "judge"}
    with db.read() as s:
        for unit in units:
            for name, n in unit["counts"].items():
                listed = drill_down(s, policy, name, MARCH, unit["level"], unit["id"])
                if policy.case_sets[name].measure == "count":
                    assert len(listed) == n, (unit["level"], unit["name"], name)
        court_id = world.courts["hp"].id
        assert drill_down(s, policy, "closed", MARCH, "court", court_id) == sorted([ids["c1"], ids["c4"], ids["c5"]])
        assert drill_down(s, policy, "long_pending", MARCH, "court", court_id) == [ids["c2"]]
        assert drill_down(s, policy, "appeals_closed_revised", MARCH, "court", court_id) == [ids["a1"]]
        assert drill_down(s, policy, "retrial_petitions", MARCH, "judge", world.users["judge_a"].id) == [ids["r1"]]
        assert drill_down(s, policy, "petitions", MARCH, "division", world.divisions["hp_civil"].id) == [ids["p1"], ids["p2"]]
        assert drill_down(s, policy, "first_enforcement_days", MARCH, "judge", world.users["judge_b"].id) == [ids["c4"]]
        assert drill_down(s, policy, "nodes_on_time", MARCH, "court", court_id) == [ids["n1"], ids["n5"], ids["n6"]]
        assert drill_down(s, policy, "nodes_due", MARCH, "judge", world.users["judge_b"].id) == [
            ids["n2"], ids["n3"], ids["n6"], ids["n9"]]
        assert drill_down(s, policy, "publications_made", MARCH, "court", court_id) == [ids["n5"], ids["n9"]]
        assert drill_down(s, policy, "publications_due", MARCH, "judge", world.users["judge_a"].id) == [
            ids["n5"], ids["n7"]]
        assert drill_down(s, policy, "terminated_lawful", MARCH, "court", court_id) == [ids["c4"]]


def test_a_court_adds_a_node_indicator_without_code_and_misplaced_node_conditions_are_refused(court):
    from policies.errors import PolicyError
    db, world, ids = court
    own = {"case_sets": {"archiving_due": {"of": "nodes", "at": ["planned"], "nodes": ["archived"]},
                         "archived_on_time": {"of": "nodes", "at": ["planned"], "nodes": ["archived"], "done": True,
                                              "late": False}},
           "catalogue": {"archiving_punctuality": {"group": "efficiency", "numerator": ["archived_on_time"],
                                                   "denominator": ["archiving_due"], "source": "本院归档规定"}}}
    policy = build("indicators", [("本院", own)])
    june = Period.parse("2025-06")
    with db.read() as s:
        hp = next(u for u in indicator_report(s, june, policy)["units"]
                  if u["level"] == "court" and u["id"] == world.courts["hp"].id)
        assert hp["indicators"]["archiving_punctuality"]["value"] == 0.0  # due 5 June, still not archived
        assert drill_down(s, policy, "archiving_due", june, "court", world.courts["hp"].id) == [ids["n10"]]
    for wrong in ({"at": ["closed"], "late": True}, {"of": "nodes", "at": ["closed"]},
                  {"of": "nodes", "at": ["planned"], "measure": "days"}):
        with pytest.raises(PolicyError):
            build("indicators", [("本院", {"case_sets": {"wrong": wrong}})])


def test_the_dashboard_groups_the_catalogue_and_each_figure_opens_its_cases(court, client):
    from tests.integration.test_pages import page_login
    db, world, ids = court
    hp = world.courts["hp"].id
    assert page_login(client, "president").status_code == 303
    html = client.get(f"/dashboard?court_id={hp}&period=2025-03").text
    for group in ("质量", "效率", "效果"):
        assert f"<caption>{group}</caption>" in html
    assert "待执行到位金额数据" in html  # the fulfilment rate waits for amounts courtflow does not record, and says so
    link = f"/dashboard/indicators/closure_rate/cases?level=court&unit_id={hp}&court_id={hp}&period=2025-03"
    assert link in html
    page = client.get(link)
    assert page.status_code == 200
    assert 'id="set-closed" data-count="3"' in page.text and 'id="set-received" data-count="2"' in page.text
    assert "（2025）测1号" in page.text and "（2025）测3号" in page.text
    judge = world.users["judge_a"].id
    page = client.get(f"/dashboard/indicators/acceptance_rate/cases?level=judge&unit_id={judge}&court_id={hp}&period=2025-03")
    assert 'id="set-appeals" data-count="1"' in page.text and "（2025）测6号" in page.text
    page = client.get(f"/dashboard/indicators/publication_rate/cases?level=court&unit_id={hp}&court_id={hp}&period=2025-03")
    assert 'id="set-publications_made" data-count="2"' in page.text and 'id="set-publications_due" data-count="3"' in page.text
    assert f'data-node-id="{ids["n7"]}"' in page.text and "裁判文书上网" in page.text and "（2025）测100号" in page.text
    assert client.get(f"/dashboard/indicators/no_such/cases?court_id={hp}").status_code == 404
    assert client.get(f"/dashboard/indicators/closure_rate/cases?court_id={world.courts['sh'].id}").status_code == 404


def test_a_trend_gives_twelve_months_with_their_changes_and_band(court):
    from services.assessment.trends import indicator_trend
    db, world, ids = court
    policy = build("indicators")
    with db.read() as s:
        trend = indicator_trend(s, policy, "closure_rate", MARCH, "court", world.courts["hp"].id, court_level="basic")
        quarters = indicator_trend(s, policy, "long_pending_share", Period.parse("2025-Q1"), "court",
                                   world.courts["hp"].id, court_level="basic")
    points = {p["period"]: p for p in trend["points"]}
    assert list(points)[0] == "2024-04" and list(points)[-1] == "2025-03" and len(points) == 12
    assert points["2025-03"]["value"] == HAND["closure_rate"]  # the series' last point is the month's figure
    assert points["2025-02"]["value"] == 0.0                    # carried c0 c1 c2, received c4: none closed
    assert points["2025-03"]["mom"] == 0.6 and points["2025-03"]["range"] == {"low": 0.12, "high": None}
    assert points["2024-10"]["value"] == 0.5                    # c0 closed of 2 carried over (c0 c2), none received
    assert [p["period"] for p in quarters["points"]][0] == "2023-Q1" and len(quarters["points"]) == 9
    assert quarters["points"][-1]["value"] == 0.5 and quarters["points"][-1]["range"]["high"] == 0.02


def test_the_trend_page_shows_the_series_and_opens_from_the_dashboard(court, client):
    from tests.integration.test_pages import page_login
    db, world, _ = court
    hp, civil = world.courts["hp"].id, world.divisions["hp_civil"].id
    assert page_login(client, "president").status_code == 303
    link = f"/dashboard/indicators/closure_rate/trend?level=court&unit_id={hp}&court_id={hp}&period=2025-03"
    assert link in client.get(f"/dashboard?court_id={hp}&period=2025-03").text
    page = client.get(link).text
    assert 'data-period="2024-04"' in page and 'data-period="2025-03"' in page and 'class="ref-band"' in page
    quarters = client.get(f"/dashboard/indicators/long_pending_share/trend?level=division&unit_id={civil}"
                          f"&court_id={hp}&period=2025-03&kind=quarter").text
    assert 'data-period="2023-Q1"' in quarters and "超出参考区间" in quarters  # 1 of 2 pending over 12 months
    awaiting = client.get(f"/dashboard/indicators/enforcement_fulfilment_rate/trend?court_id={hp}").text
    assert "待执行到位金额数据" in awaiting
    assert client.get(f"/dashboard/indicators/closure_rate/trend?level=division&unit_id={civil}"
                      f"&court_id={world.courts['sh'].id}").status_code == 404


def test_an_out_of_range_figure_alerts_the_trial_offices_once_however_often_the_flow_runs(court):
    from datetime import datetime, timezone

    from sqlmodel import select

    from notifications.render import render
    from services.assessment.alerts import raise_alerts
    from store.models import IndicatorAlert, Notice
    db, world, _ = court
    hp = world.courts["hp"].id
    at = datetime(2025, 4, 1, 1, tzinfo=timezone.utc)
    with db.write() as s:
        first = raise_alerts(s, MARCH, at)
    with db.write() as s:
        again = raise_alerts(s, MARCH, at)
    assert first["alerts"] > 0 and first["notices"] > 0 and again == {"period": "2025-03", "alerts": 0, "notices": 0}
    with db.read() as s:
        alerts = s.exec(select(IndicatorAlert).where(IndicatorAlert.level == "court", IndicatorAlert.unit_id == hp)).all()
        long_pending = [a for a in alerts if a.indicator == "long_pending_share"]
        assert len(long_pending) == 1 and (long_pending[0].value, long_pending[0].high) == (0.5, 0.02)
        assert "closure_rate" not in {a.indicator for a in alerts}  # 0.6 is inside a month's range
        notices = s.exec(select(Notice).where(Notice.kind == "indicator_alert",
                                              Notice.dedupe_key.startswith(f"indicator_alert:{long_pending[0].id}:"))).all()
    told = {n.recipient_user_id for n in notices}
    assert told == {world.users["office"].id, world.users["mid_office"].id}  # the court's office and the higher court's
    title, body = render("indicator_alert", notices[0].context)
    assert "12个月以上未结案件占比" in title and "超出参考区间" in body
    assert f"/dashboard/indicators/long_pending_share/cases?level=court&unit_id={hp}&court_id={hp}&period=2025-03" in body


def test_a_judge_opens_their_own_figures_and_not_a_colleagues(court, client):
    from tests.integration.test_pages import page_login
    db, world, _ = court
    hp = world.courts["hp"].id
    own, other = world.users["judge_a"].id, world.users["judge_b"].id
    assert page_login(client, "judge_a").status_code == 303
    html = client.get(f"/dashboard/judge/{own}?period=2025-03").text
    link = f"/dashboard/indicators/closure_rate/cases?level=judge&unit_id={own}&court_id={hp}&period=2025-03"
    assert link in html and client.get(link).status_code == 200
    assert client.get(link.replace(f"unit_id={own}", f"unit_id={other}")).status_code == 404
    assert client.get(f"/dashboard/indicators/closure_rate/trend?level=judge&unit_id={own}&court_id={hp}").status_code == 200


def test_each_court_is_alerted_by_its_own_range_and_only_the_grants_in_force_are_told(court):
    from datetime import datetime, timezone

    from sqlmodel import select

    from services.assessment.alerts import raise_alerts
    from store.models import IndicatorAlert, Notice, PolicyOverride, RoleGrant
    from tests.factories import add_user
    db, world, _ = court
    hp, sh = world.courts["hp"].id, world.courts["sh"].id
    with db.write() as s:  # 沈河: one case carried into March and closed in it, one received: closure rate 0.5
        add_case(s, world, 30, "judge_sh", "2025-02-10", deadline="2025-08-10", closed="2025-03-10", method="判决",
                 court="sh", division="sh_civil")
        add_case(s, world, 31, "judge_sh", "2025-03-05", deadline="2025-09-05", court="sh", division="sh_civil")
        s.add(PolicyOverride(court_id=hp, name="indicators",  # 和平 asks a month's closure rate of 0.7, not 0.12
                             data={"catalogue": {"closure_rate": {"range": {"by_period": {"month": {"low": 0.7}}}}}}))
        for name, starts, ends in (("office_left", None, D("2025-03-31")), ("office_next", D("2025-04-02"), None)):
            add_user(s, world, name, "hp", ["trial_office"])
            grant = s.exec(select(RoleGrant).where(RoleGrant.user_id == world.users[name].id)).one()
            grant.starts_on, grant.ends_on = starts, ends
    with db.write() as s:
        raise_alerts(s, MARCH, datetime(2025, 4, 1, 1, tzinfo=timezone.utc))  # 1 April in the courts' time
    with db.read() as s:
        closure = {(a.court_id, a.level): a for a in s.exec(select(IndicatorAlert).where(
            IndicatorAlert.indicator == "closure_rate", IndicatorAlert.period == "2025-03")).all()}
        told = set(s.exec(select(Notice.recipient_user_id).where(
            Notice.dedupe_key.startswith(f"indicator_alert:{closure[(hp, 'court')].id}:"))).all())
    assert (closure[(hp, "court")].value, closure[(hp, "court")].low) == (0.6, 0.7)  # 0.6 is short of its own 0.7
    assert (sh, "court") not in closure  # 0.5 is inside the province's 0.12 that 沈河 keeps
    assert told == {world.users["office"].id, world.users["mid_office"].id}  # not the ended grant, nor the next one


def test_the_export_writes_the_whole_catalogue_as_the_dashboard_shows_it(court, client):
    import csv
    import io
    import re

    from openpyxl import load_workbook

    from tests.integration.test_pages import page_login
    db, world, _ = court
    hp = world.courts["hp"].id
    assert page_login(client, "president").status_code == 303
    html = client.get(f"/dashboard?court_id={hp}&period=2025-03").text
    shown = re.findall(r'<tr data-indicator="(\w+)" data-group="(\w+)" data-value="([^"]*)" data-state="(\w*)"', html)
    book = load_workbook(io.BytesIO(client.get(f"/dashboard/indicators.xlsx?period=2025-03&court_id={hp}").content))
    sheet = book.active
    labels, keys = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    court_row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[:2] == ("法院", hp))
    columns = {key: i for i, key in enumerate(keys)}
    exported = [(k, labels[i], court_row[i], court_row[columns[f"{k}_state"]]) for i, k in enumerate(keys)
                if i >= 5 and not k.endswith(("_previous", "_last_year", "_state"))]
    assert len(shown) == len(exported) == len(HAND)  # the whole catalogue, in the page's order (质量, 效率, 效果)
    words = {"quality": "质量", "efficiency": "效率", "effect": "效果"}
    for (name, group, value, state), (key, label, figure, state_word) in zip(shown, exported):
        assert key == name and label.startswith(f"{words[group]}·") and label.endswith("（本期）")
        assert figure == (float(value) if value else None) == HAND[name]
        assert state_word == {"normal": "在参考区间内", "outside": "超出参考区间", "": None}.get(state, state_word)
        assert (state == "awaiting") == (state_word or "").startswith("待")  # awaiting data, and which
    lines = list(csv.reader(io.StringIO(client.get(f"/dashboard/indicators.csv?period=2025-03&court_id={hp}").text)))
    csv_row = next(line for line in lines[2:] if line[:2] == ["法院", str(hp)])
    assert lines[1] == keys and [float(v) if v else None for v in csv_row[5::4]] == [f for _, _, f, _ in exported]
