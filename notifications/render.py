"""Message templates `templates/[<lifecycle>/]<kind>.<language>.txt`: the first line is the title, the rest the body.

The kernel's notices (tasks, the trace, dead letters) sit at the top and are always read; each
lifecycle's in its own directory, named as its package in services/, read once the lifecycle has
plugged it in (`registry.add_notice_dir`): the composition root hands the list over with
`use_directories()`. A kind is found in any of them (kinds are unique).

Templates may open with a `{# context: ... #}` comment naming the keys they need. Courts
read Chinese by default, so a missing translation falls back to the Chinese template. A notice's
prose is its template's; the words for codes come from the i18n catalogs, in the reader's language
(`{{ state|label('state') }}`, `{{ _('key') }}`), as on the pages.
"""
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, UndefinedError

import i18n
from i18n.words import install as install_words

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LANGUAGE = "zh"
_KIND = re.compile(r"^[a-z0-9_]+$")

_directories: list[Path] = [TEMPLATES]
_env = Environment(
    loader=FileSystemLoader(_directories), undefined=StrictUndefined, autoescape=False,
    trim_blocks=True, keep_trailing_newline=False, extensions=["jinja2.ext.i18n"],
)
_env.install_gettext_callables(gettext=i18n.text, ngettext=i18n.ntext, newstyle=True)
_env.filters["label"] = lambda code, prefix, within=None: i18n.label(prefix, code, within=within)
install_words(_env)  # {{ d|day }}, {{ n|days }}, {{ n|months }}: 2025年3月4日, 十日, 六个月 in Chinese


def use_directories(names: list[str]) -> None:
    """Read the top templates and those of the lifecycles `names` (services/bootstrap.py calls this
    once at start-up); a name with no directory stops start-up."""
    missing = [name for name in names if not (TEMPLATES / name).is_dir()]
    if missing:
        raise ValueError(f"no notice template directory for {missing} in {TEMPLATES}")
    _directories[:] = [TEMPLATES, *(TEMPLATES / name for name in names)]
    _env.loader = FileSystemLoader(_directories)


class RenderError(ValueError):
    """A notice that cannot be rendered: no template for its kind, or a context key missing."""


def render(kind: str, context: dict, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """(title, body) of a `kind` notice in `language` (Chinese when that translation is missing)."""
    template = _template(kind, _suffix(language))
    try:
        with i18n.use(language):
            text = template.render(**context)
    except UndefinedError as exc:
        raise RenderError(f"template {template.name}: {exc.message} (context keys: {sorted(context)})") from exc
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def kinds() -> list[str]:
    """Every kind that has a Chinese template."""
    return sorted(p.name.removesuffix(".zh.txt") for d in _directories for p in d.glob("*.zh.txt"))


def _suffix(language: str | None) -> str:
    """The template file's language: `en`, else the court's Chinese (`zh`, `zh_CN` and anything else)."""
    return "en" if i18n.language(language) == "en" else DEFAULT_LANGUAGE


def _template(kind: str, language: str):
    if not _KIND.match(kind or ""):
        raise RenderError(f"notice kind {kind!r} is not a template name (lowercase letters, digits, _)")
    for lang in dict.fromkeys((language or DEFAULT_LANGUAGE, DEFAULT_LANGUAGE)):
        try:
            return _env.get_template(f"{kind}.{lang}.txt")
        except TemplateNotFound:
            continue
    raise RenderError(
        f"no message template for kind {kind!r} in language {language!r}: "
        f"neither {kind}.{language}.txt nor {kind}.{DEFAULT_LANGUAGE}.txt exists in {TEMPLATES}"
    )
