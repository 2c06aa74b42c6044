"""The indicators API and its exports, dossiers and commitments over HTTP, with visibility."""
import io
from datetime import date

from openpyxl import load_workbook

from services.assessment.monthly import run_monthly_assessment
from tests.assessment_helpers import add_cases, moment
from tests.factories import small_world
from tests.integration.conftest import login


def seeded(any_db):
    world = small_world(any_db)
    with any_db.write() as s:
        add_cases(s, world, "judge_a", 2, "2025-01-06", closed="2025-02-10")
        add_cases(s, world, "judge_a", 2, "2024-11-06", prefix="o")
    for as_of in (date(2025, 2, 1), date(2025, 3, 1)):  # January missed, February met
        run_monthly_assessment(any_db, as_of, moment(as_of))
    return world


def test_indicators_as_json_csv_and_excel_agree(client, any_db):
    world = seeded(any_db)
    headers = login(client, "office")
    data = client.get("/api/v1/indicators", params={"period": "2025-02"}, headers=headers).json()
    judge = next(u for u in data["units"] if u["level"] == "judge" and u["id"] == world.users["judge_a"].id)
    assert judge["indicators"]["closure_rate"]["value"] == 0.5  # 2 closed ÷ (4 carried over + 0 received)
    csv_lines = client.get("/api/v1/indicators.csv", params={"period": "2025-02"}, headers=headers).text.splitlines()
    assert csv_lines[0].startswith("\ufeff层级,编号,名称") and "效率·结案率（本期）" in csv_lines[0]
    assert any(line.startswith("法官,") and ",judge_a," in line for line in csv_lines[2:])
    xlsx = client.get("/api/v1/indicators.xlsx", params={"period": "2025-02", "level": "judge"}, headers=headers)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    keys = [c.value for c in sheet[2]]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["judge_a"][keys.index("closure_rate")] == 0.5 and sheet.title == "2025-02"


def test_a_bad_period_is_422_and_another_courts_indicators_are_404(client, any_db):
    world = seeded(any_db)
    headers = login(client, "office")
    assert client.get("/api/v1/indicators", params={"period": "2025-13"}, headers=headers).status_code == 422
    other = client.get("/api/v1/indicators", params={"period": "2025-02", "court_id": world.courts["sh"].id},
                       headers=headers)
    assert other.status_code == 404


def test_a_judge_sees_their_own_dossier_and_not_another_courts_judge(client, any_db):
    world = seeded(any_db)
    headers = login(client, "judge_a")
    mine = client.get(f"/api/v1/dossier/{world.users['judge_a'].id}/2025", headers=headers)
    assert [e["kind"] for e in mine.json()] == ["monthly_record", "explanation", "monthly_record"]
    document = client.get(f"/api/v1/dossier/{world.users['judge_a'].id}/2025/document", headers=headers)
    assert "2025年度考核档案" in document.text and "@media print" in document.text
    other = client.get(f"/api/v1/dossier/{world.users['judge_sh'].id}/2025", headers=headers)
    assert other.status_code == 404


def test_the_judge_files_the_explanation_and_the_chief_accepts_it(client, any_db):
    world = seeded(any_db)
    judge, chief = login(client, "judge_a"), login(client, "chief")
    tasks = client.get("/api/v1/tasks", headers=judge).json()
    step_id = next(t["subject_id"] for t in tasks if t["kind"] == "file_explanation")
    step = client.get(f"/api/v1/ladder_steps/{step_id}", headers=judge).json()
    assert step["allowed_events"] == ["file_explanation"]
    short = client.post(f"/api/v1/ladder_steps/{step_id}/transitions", headers=judge,
                        json={"event": "file_explanation", "payload": {"explanation": "案多", "measures": "加班"}})
    assert short.status_code == 422
    filed = client.post(f"/api/v1/ladder_steps/{step_id}/transitions", headers=judge, json={
        "event": "file_explanation", "expected_version": step["version"],
        "payload": {"explanation": "一月新收案件集中，两件需鉴定", "measures": "每周排期两次开庭，月底前结案两件"}})
    assert filed.status_code == 200 and filed.json()["state"] == "filed"
    by_judge = client.post(f"/api/v1/ladder_steps/{step_id}/transitions", headers=judge, json={"event": "accept"})
    assert by_judge.status_code == 409
    review = next(t for t in client.get("/api/v1/tasks", headers=chief).json() if t["kind"] == "review_explanation")
    accepted = client.post(f"/api/v1/ladder_steps/{step_id}/transitions", headers=chief,
                           json={"event": "accept", "payload": {"note": "同意"}})
    assert review["subject_id"] == step_id and accepted.json()["state"] == "done"
    kinds = [e["kind"] for e in client.get(f"/api/v1/dossier/{world.users['judge_a'].id}/2025", headers=judge).json()]
    assert "explanation_filed" in kinds and "explanation_reviewed" in kinds


def test_a_commitment_over_http(client, any_db):
    small_world(any_db)
    headers = login(client, "judge_a")
    ok = client.post("/api/v1/commitments", headers=headers, json={"week_start": "2025-03-03", "promised": 4})
    again = client.post("/api/v1/commitments", headers=headers, json={"week_start": "2025-03-03", "promised": 5})
    assert (ok.status_code, again.status_code) == (201, 409)
