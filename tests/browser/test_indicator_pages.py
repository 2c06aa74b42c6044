"""The 体检表's pages in chromium (issue 21): the grouped catalogue on the dashboard, a figure's drill-down,
its trend and an analysis report, each with no serious or critical axe-core violation and no raw code
(snake_case) in its visible text, in Chinese and in English."""
from datetime import datetime, timezone

import pytest

from policies.periods import Period
from services.assessment.analysis import make_analysis_reports
from tests.browser.conftest import login
from tests.browser.test_crawl import AXE, AXE_JS, CJK, SNAKE, TEXT_NODES_JS
from tests.factories import PASSWORD
from tests.integration.test_indicators import add_case

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    """As the crawl's: the page's CSP bypassed so that axe-core can be injected."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_catalogue_pages_pass_the_accessibility_check_in_both_languages(page, live_server, world):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup")
    db, hp = live_server.db, world.courts["hp"].id
    with db.write() as s:
        add_case(s, world, 1, "judge_a", "2025-01-10", deadline="2025-07-10", closed="2025-03-05", method="判决")
        add_case(s, world, 2, "judge_a", "2024-01-05", deadline="2024-07-05")
        make_analysis_reports(s, Period.parse("2025-Q1"), datetime(2025, 4, 1, 1, tzinfo=timezone.utc))
    base = live_server.base_url
    login(page, base, "office", PASSWORD)
    paths = [f"/dashboard?court_id={hp}&period=2025-03",
             f"/dashboard/indicators/closure_rate/cases?level=court&unit_id={hp}&court_id={hp}&period=2025-03",
             f"/dashboard/indicators/long_pending_share/trend?level=court&unit_id={hp}&court_id={hp}&period=2025-03",
             "/analysis-reports"]
    page.goto(f"{base}/analysis-reports")
    paths.append(page.locator("#analysis-reports a").first.get_attribute("href"))
    names = {d.name for d in world.divisions.values()} | {u.username for u in world.users.values()}  # the test world's
    offences = []
    for lang in ("zh", "en"):
        page.goto(f"{base}/lang/{lang}")
        shared = set(_axe(page, f"{base}/leaders"))  # the shell's own (issue 16's worklist), on every page alike
        for path in paths:
            offences += [f"{lang} {path}: axe {v}" for v in _axe(page, f"{base}{path}") if v not in shared]
            # the dashboard's older parts (its title, charts, children) are the crawl's; its catalogue is checked here
            scope = "#indicators" if path.startswith("/dashboard?") else "main"
            texts = page.evaluate(SCOPED_TEXT_JS, scope)
            offences += [f"{lang} {path}: raw code {m}" for t, _ in texts for m in SNAKE.findall(t) if m not in names]
            if lang == "en":
                offences += [f"en {path}: Chinese {t!r}" for t, mark in texts
                             if not mark.startswith("zh") and CJK.search(t)]
    assert not offences, "\n".join(offences)


SCOPED_TEXT_JS = TEXT_NODES_JS.replace("() => {", "(scope) => {").replace("document.body", "document.querySelector(scope)")


def _axe(page, url: str) -> list[str]:
    assert page.goto(url).status == 200, url
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_JS)
