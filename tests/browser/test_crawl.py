"""Every demo role walks every page it can reach, in Chinese and English, and nothing leaks the machinery.

For each demo login (services/demo: the logins `courtflow serve` prints) and each language, the
test follows every link of the navigation and, from those pages, the subject pages they link to
(SUBJECTS_PER_PATTERN of each URL shape, e.g. /cases/{id}, /s/reviews/{id}, /integrity/powers/roles/{x}). On each page
it reads the visible text and fails on:

- a lowercase snake_case token (a raw state, task kind, field name), outside what the page marks
  `translate="no"` (identifiers a person types: a login name, a policy key on the policy editor);
- an English phrase of three or more words on a Chinese page, or Chinese text on an English page,
  unless the element says it is in the other language (`lang` attribute: a person's or court's
  name, a case's cause as filed);
- a date written the ISO way (2026-09-08) on a Chinese page, where it reads 2026年9月8日 (`|day`, `|court_time`);
- a link on the page not answering 200 (after redirects) to this user;
- a serious or critical axe-core violation (axe-core from the npm registry; scripts/setup fetches it), checked
  on each login's start page and once per page shape for the whole crawl: the shape's template sets what axe
  judges (labels, contrast, landmarks), and checking it again for every role and language took half the crawl.

A second test saves screenshots of each role's start page at 1366 and 390 px under test-output/screenshots/
and fails when the page scrolls sideways at either width.
Nothing is tolerated: the offences are listed, grouped by page, in the failure message and in
test-output/crawl/<role>-<lang>.txt.
"""
import os
import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from services.demo.seed import DEMO_PASSWORD, GUIDE, seed_demo
from tests.browser.conftest import HERE, TIMEOUT_MS, _wipe, login
from tests.chinese_text import ISO_DATE

AXE = HERE / "vendor" / "axe-core-4.10.3.js"
OUTPUT = HERE.parent.parent / "test-output"
SUBJECTS_PER_PATTERN = 1  # every kind of link is opened, one of each: the crawl stays within the suite's time
WIDTHS = (1366, 390)
SNAKE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])"  # review_list
                   r"|(?<![\w/.-])[a-z][a-z_]*\.[a-z][a-z_]+(?![\w/.-])")  # tasks.complete
ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z']+(?:[ ,:;]+[A-Za-z][a-z']+){2,}")
CJK = re.compile(r"[\u3400-\u9fff]")
NOT_CHECKED = ("/logout", "/lang/")
NOT_FOLLOWED = ("/static/", "/api/")  # checked to answer 200 (exports, files), not opened as pages

# Text nodes as [text, lang of nearest ancestor]; text the page declares not to be language (translate="no":
# a login name, a policy's own keys on the policy editor) is an identifier a person types, not read as words.
TEXT_NODES_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('script,style,noscript,[hidden],[translate="no"]')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const marked = el.closest('[lang]');
    out.push([node.textContent.trim(), marked ? marked.getAttribute('lang') : '']);
  }
  return out;
}"""
LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0].target.join(' ')})`);
}"""


def pattern_of(path: str) -> str:
    """A link's shape: /cases/301 and /cases/1959 are one, and so are /integrity/powers/roles/judge and …/clerk."""
    return re.sub(r"/[^/]+$", "/{x}", re.sub(r"/\d+", "/{id}", path))


@pytest.fixture(scope="module")
def demo(live_server):
    """The demo province in the live server's database, once for the whole crawl."""
    _wipe(live_server.db)
    return seed_demo(live_server.db, datetime.now(timezone.utc))


@pytest.fixture(autouse=True)
def world(demo):
    """Overrides the small_world of the other browser tests: the crawl walks the demo."""
    return demo


@pytest.fixture
def page(browser):
    """A fresh context that lets axe-core be injected past the app's Content-Security-Policy."""
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run scripts/setup (it fetches axe-core from the npm registry)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


class Crawl:
    """One login's walk: the pages seen, the links checked, the offences found."""

    def __init__(self, page, base_url: str, lang: str, axe: str, known: dict, shapes_checked: set):
        self.page, self.base_url, self.lang, self.axe = page, base_url, lang, axe
        self.shapes_checked = shapes_checked  # page shapes axe-core has judged in this crawl, by any login
        self.offences: dict[str, list[str]] = defaultdict(list)
        # a link's answer does not depend on the page's language: the login's other walk shares what it learnt
        self.link_status: dict[str, int] = known.setdefault("status", {})
        self.html: set[str] = known.setdefault("html", set())  # links answering a page (not a download)
        self.visited: set[str] = set()

    def visit(self, path: str) -> list[str]:
        """Open the page, check it, and give back its internal links."""
        self.visited.add(path)
        answer = self.page.goto(self.base_url + path)
        if answer is None or answer.status != 200:
            self.offences[path].append(f"answered {answer.status if answer else 'nothing'}")
            return []
        self.check_text(path)
        shape = pattern_of(urlsplit(path).path)
        if len(self.visited) == 1 or shape not in self.shapes_checked:
            self.shapes_checked.add(shape)
            self.check_axe(path)
        links = [self.internal(h) for h in self.page.evaluate(LINKS_JS)]
        links = [link for link in links if link]
        self.check_links(path, links)
        return links

    def internal(self, href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme and not href.startswith(self.base_url) or href.startswith(("#", "mailto:")):
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return None if not parts.path or path.startswith(NOT_CHECKED) else path

    def check_text(self, path: str) -> None:
        for text, marked in self.page.evaluate(TEXT_NODES_JS):
            for token in SNAKE.findall(text):
                self.offences[path].append(f"raw code {token!r} in {text[:80]!r}")
            if self.lang == "zh" and not marked.startswith("en"):
                for phrase in ENGLISH_PHRASE.findall(text):
                    self.offences[path].append(f"English on a Chinese page: {phrase[:80]!r}")
            if self.lang == "zh":
                for day in ISO_DATE.findall(text):
                    self.offences[path].append(f"ISO date {day!r} on a Chinese page: {text[:80]!r}")
            if self.lang == "en" and not marked.startswith("zh") and CJK.search(text):
                self.offences[path].append(f"Chinese on an English page: {text[:80]!r}")

    def check_axe(self, path: str) -> None:
        self.page.add_script_tag(content=self.axe)
        for violation in self.page.evaluate(AXE_JS):
            self.offences[path].append(f"axe {violation}")

    def check_links(self, path: str, links: list[str]) -> None:
        for link in links:
            if link not in self.link_status:
                answer = self.page.context.request.get(self.base_url + link, timeout=TIMEOUT_MS)
                self.link_status[link] = answer.status
                if answer.headers.get("content-type", "").startswith("text/html"):
                    self.html.add(link)
            if self.link_status[link] != 200:
                self.offences[path].append(f"link {link} answers {self.link_status[link]}")

    def report(self) -> str:
        lines = [f"{len(self.visited)} pages, {len(self.link_status)} links known"]
        for path, found in sorted(self.offences.items()):
            unique = list(dict.fromkeys(found))
            lines += [f"{path}:"] + [f"  {o}" for o in unique[:15]] + ([f"  … {len(unique) - 15} more"] if len(unique) > 15 else [])
        return "\n".join(lines)


def nav_links(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('header a[href]')).map(a => a.getAttribute('href'))")


@pytest.fixture(scope="module")
def shapes_checked() -> set:
    """The page shapes axe-core has judged in this crawl."""
    return set()


@pytest.fixture(scope="module")
def links_known() -> dict:
    """Per login, the links' answers already checked (status, and which answer a page)."""
    return defaultdict(dict)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("who", [who for who, _, _ in GUIDE])
def test_every_page_a_role_reaches_speaks_its_language_and_answers(page, live_server, demo, axe_source, links_known,
                                                                   shapes_checked, who, lang):
    start = next(d for d in demo.logins if d.who == who)
    login(page, live_server.base_url, start.username, DEMO_PASSWORD)
    if lang == "en":
        page.goto(f"{live_server.base_url}/lang/en?next=/tasks")
    crawl = Crawl(page, live_server.base_url, lang, axe_source, links_known[who], shapes_checked)
    page.goto(live_server.base_url + start.path)
    nav = [p for p in (crawl.internal(h) for h in nav_links(page)) if p]
    seen_patterns: dict[str, int] = defaultdict(int)
    for path in dict.fromkeys([start.path, *nav]):
        for link in crawl.visit(path):
            shape = pattern_of(urlsplit(link).path)
            if (link in crawl.visited or link in nav or link not in crawl.html or link.startswith(NOT_FOLLOWED)
                    or seen_patterns[shape] >= SUBJECTS_PER_PATTERN):
                continue
            seen_patterns[shape] += 1
            crawl.visit(link)
    report = crawl.report()
    folder = OUTPUT / "crawl"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{who}-{lang}.txt").write_text(report + "\n", encoding="utf-8")
    assert not crawl.offences, f"{who} ({lang}):\n{report}"


# The elements reaching beyond the viewport, if any: what a phone would have to scroll sideways to read (a wide table
# scrolls in its own box, but a list shown as cards must fit).
WIDEST_JS = """(width) => {
  const over = Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('table.grid:not(.cards), pre'))
    .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''}`);
  return [document.documentElement.scrollWidth, over.slice(0, 5)];
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("who", [who for who, _, _ in GUIDE])
def test_each_roles_start_page_fits_a_desk_and_a_phone(page, live_server, demo, who, lang):
    """The start page at 1366 and 390 px, saved under test-output/screenshots/ to be looked at; at either width the
    page itself never scrolls sideways (a wide table scrolls inside its own box)."""
    start = next(d for d in demo.logins if d.who == who)
    login(page, live_server.base_url, start.username, DEMO_PASSWORD)
    if lang == "en":
        page.goto(f"{live_server.base_url}/lang/en?next=/tasks")
    folder = OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.base_url + start.path)
        page.screenshot(path=str(folder / f"{who}-{lang}-{width}.png"), full_page=True)
        scroll_width, beyond = page.evaluate(WIDEST_JS, width)
        assert scroll_width <= width and not beyond, f"{who} ({lang}) at {width} px: {scroll_width} px wide, {beyond}"

