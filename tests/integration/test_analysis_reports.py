"""审判管理报告 (issue 21): a quarterly report for a court made by the flow's step once, as a page, an Excel
workbook and a PDF whose pages are rendered as images and are not blank; the trial office's comment and
measures are followed up in the next report of the same length."""
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from policies.periods import Period
from services.assessment.analysis import make_analysis_reports
from services.kernel.pdf import chromium
from store.models import Report
from tests.integration.test_indicator_catalogue import court  # noqa: F401  (the hand-built court)
from tests.integration.test_pages import page_login

Q1 = Period.parse("2025-Q1")
AT = datetime(2025, 4, 1, 1, tzinfo=timezone.utc)


def made(db, world, period=Q1):
    with db.write() as s:
        result = make_analysis_reports(s, period, AT)
    with db.read() as s:
        report = s.exec(select(Report).where(Report.kind == "analysis_report", Report.period == period.label,
                                             Report.court_id == world.courts["hp"].id)).one()
    return result, report


def test_a_quarterly_report_is_made_once_with_the_catalogue_and_its_weak_indicators(court):
    db, world, _ = court
    first, report = made(db, world)
    again, _ = made(db, world)
    assert first["reports"] == 4 and again["reports"] == 0  # one per court, however often it runs
    weak = {r["name"]: r for r in report.data["weak"]}
    assert weak["long_pending_share"]["value"] == 0.5
    assert [c["name"] for c in weak["long_pending_share"]["contributors"]["judge"]][0] == "judge_a"  # c2 is theirs
    assert weak["node_punctuality"]["value"] == 0.4286 and weak["publication_rate"]["value"] == 0.6667  # the nodes of March
    assert "12个月以上未结案件占比" in report.html and "薄弱指标" in report.html and "待执行到位金额数据" in report.html


def test_a_courts_report_weighs_its_figures_by_its_own_ranges(court):
    from store.models import PolicyOverride
    db, world, _ = court
    with db.write() as s:  # 和平 asks a quarter's closure rate of 0.9; the province's is 0.35
        s.add(PolicyOverride(court_id=world.courts["hp"].id, name="indicators",
                             data={"catalogue": {"closure_rate": {"range": {"by_period": {"quarter": {"low": 0.9}}}}}}))
    _, report = made(db, world)
    closure = next(r for r in report.data["catalogue"] if r["name"] == "closure_rate")
    assert closure["range"]["low"] == 0.9 and closure["normal"] is False
    assert "closure_rate" in {r["name"] for r in report.data["weak"]}


def test_the_report_is_a_page_a_workbook_and_a_pdf_and_the_next_one_follows_up_the_measures(court, client):
    pdfium = pytest.importorskip("pypdfium2")
    if chromium() is None:
        pytest.skip("no chromium on this machine")
    db, world, _ = court
    _, report = made(db, world)
    assert page_login(client, "office").status_code == 303
    listing = client.get("/analysis-reports").text
    assert f'href="/analysis-reports/{report.id}"' in listing
    page = client.get(f"/analysis-reports/{report.id}")
    assert page.status_code == 200 and 'id="report-document"' in page.text
    book = load_workbook(io.BytesIO(client.get(f"/analysis-reports/{report.id}/workbook.xlsx").content))
    rows = {r[1]: r for r in book["指标"].iter_rows(min_row=2, values_only=True)}
    assert rows["12个月以上未结案件占比"][2] == 0.5 and rows["12个月以上未结案件占比"][8] == "超出参考区间"
    pdf = client.get(f"/analysis-reports/{report.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf.content)
    assert len(document) >= 1
    for page_no in range(len(document)):
        bitmap = document[page_no].render(scale=0.5, grayscale=True)  # one byte per pixel
        dark = sum(1 for v in bytes(bitmap.buffer) if v < 128)
        assert dark > 500, f"page {page_no + 1} is blank"  # text and table rules are drawn

    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": csrf, "comment": "长期未结偏高", "measures": "逐案督办12个月以上未结案件"}
    saved = client.post(f"/analysis-reports/{report.id}/comment", data=form, follow_redirects=False)
    assert saved.status_code == 303
    _, next_report = made(db, world, Period.parse("2025-Q2"))
    assert next_report.data["follow_up"]["measures"] == "逐案督办12个月以上未结案件"
    assert "上期会商措施落实情况" in next_report.html and "逐案督办12个月以上未结案件" in next_report.html


def test_only_the_trial_office_records_the_meetings_comment(court, client):
    db, world, _ = court
    _, report = made(db, world)
    assert page_login(client, "president").status_code == 303
    page = client.get(f"/analysis-reports/{report.id}").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post(f"/analysis-reports/{report.id}/comment", data={"csrf_token": csrf, "comment": "x", "measures": ""})
    assert refused.status_code == 409 and "审管办" in refused.text
