"""Message templates `templates/[<lifecycle>/]<kind>.<language>.txt`: the first line is the title, the rest the body.

The kernel's notices (tasks, the trace, dead letters) sit at the top; each lifecycle's in its own
directory, named as its package in services/. A kind is found in any of them (kinds are unique).

Templates may open with a `{# context: ... #}` comment naming the keys they need. Courts
read Chinese by default, so a missing translation falls back to the Chinese template.
"""
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, UndefinedError

TEMPLATES = Path(__file__).parent / "templates"
DIRECTORIES = [TEMPLATES, *sorted(d for d in TEMPLATES.iterdir() if d.is_dir())]
DEFAULT_LANGUAGE = "zh"
_KIND = re.compile(r"^[a-z0-9_]+$")

_env = Environment(
    loader=FileSystemLoader(DIRECTORIES), undefined=StrictUndefined, autoescape=False,
    trim_blocks=True, keep_trailing_newline=False,
)


class RenderError(ValueError):
    """A notice that cannot be rendered: no template for its kind, or a context key missing."""


def render(kind: str, context: dict, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """(title, body) of a `kind` notice in `language` (Chinese when that translation is missing)."""
    template = _template(kind, language)
    try:
        text = template.render(**context)
    except UndefinedError as exc:
        raise RenderError(f"template {template.name}: {exc.message} (context keys: {sorted(context)})") from exc
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def kinds() -> list[str]:
    """Every kind that has a Chinese template."""
    return sorted(p.name.removesuffix(".zh.txt") for d in DIRECTORIES for p in d.glob("*.zh.txt"))


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
