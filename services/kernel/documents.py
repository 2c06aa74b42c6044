"""Printable documents (HTML with print CSS): the dossier, the weekly notice, the quarterly report."""
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

import i18n
from i18n.words import install as install_words

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "document_templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


_env.filters["pct"] = _pct
_env.filters["num"] = _num
_env.filters["label"] = lambda code, prefix, within=None: i18n.label(prefix, code, within=within)
install_words(_env)  # the documents are Chinese: {{ d|day }} 2025年3月4日


def render_document(name: str, **context) -> str:
    with i18n.use("zh_CN"):
        return _env.get_template(name).render(**context)
