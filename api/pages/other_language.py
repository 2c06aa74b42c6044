"""Chinese data on an English page says it is Chinese (`lang="zh-CN"`), so screen readers read it as Chinese.

A court's records are written in Chinese: names, 案号, causes, courts, reasons people typed. On an English page
every value a template prints (`{{ case.cause }}`, a parameter of `_('…', name=…)`) has its runs of Chinese
marked while the page renders, and the marks become `<span lang="zh-CN">` in text, the `lang` of an `<option>`,
and nothing inside a tag's attributes, a `<title>` or a `<textarea>`.

Only data is marked: the catalogs' texts (`_('key')`, `|label`, `|action`) come as Markup and stay as they are,
so a catalog's English that slipped into Chinese is still caught by the page crawl (tests/browser/test_crawl.py).
"""
import re

from jinja2 import pass_context
from markupsafe import Markup

import i18n

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: never in a court's data
CHINESE_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
                         r"(?:[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef0-9A-Za-z·.\-]*"
                         r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef0-9])?")
NOT_IN_TEXT = re.compile(r"<title>.*?</title>|<textarea\b.*?</textarea>|<[^>]*>", re.S)
OPTION = re.compile(r"<option\b([^>]*)>([^<]*)</option>")


def marked(value):
    """A printed value with its Chinese runs between the marks, on an English page; anything else as it is."""
    if i18n.current() != "en" or not isinstance(value, str) or isinstance(value, Markup) or OPEN in value:
        return value
    return CHINESE_RUN.sub(lambda m: f"{OPEN}{m.group(0)}{CLOSE}", value)


def gettext_marking_data(gettext):
    """The page's `_()` (Jinja2's newstyle gettext): the catalog's text as it is, the parameters' Chinese marked."""
    @pass_context
    def _(context, key, **params):
        return gettext(context, key, **{name: marked(value) for name, value in params.items()})
    return _


def install(env) -> None:
    """Mark the Chinese of every value the page environment prints, and of `_()`'s parameters."""
    env.finalize = marked
    env.globals["gettext"] = gettext_marking_data(env.globals["gettext"])


def mark_response(response, lang: str):
    """The rendered page's marks as `lang="zh-CN"` (English pages; a Chinese page has none)."""
    if lang == "en" and OPEN in response.body.decode("utf-8"):
        response.body = spans(response.body.decode("utf-8")).encode("utf-8")
        response.headers["content-length"] = str(len(response.body))
    return response


def spans(html: str) -> str:
    """The rendered page with the marks turned into `lang="zh-CN"`: a span in text, the option's own `lang`."""
    if OPEN not in html:
        return html
    html = OPTION.sub(_option, html)
    html = NOT_IN_TEXT.sub(lambda m: _unmarked(m.group(0)), html)
    return html.replace(OPEN, '<span lang="zh-CN">').replace(CLOSE, "</span>")


def _option(match: re.Match) -> str:
    attributes, words = match.groups()
    if OPEN not in words:
        return match.group(0)
    return f'<option{attributes} lang="zh-CN">{_unmarked(words)}</option>'


def _unmarked(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")
