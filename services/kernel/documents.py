"""Printable documents (HTML with print CSS): the dossier, the weekly notice, the quarterly report."""
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

import i18n

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "document_templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


_env.filters["pct"] = _pct
_env.filters["num"] = _num
_env.filters["label"] = lambda code, prefix, within=None: i18n.label(prefix, code, within=within)


def render_document(name: str, **context) -> str:
    return _env.get_template(name).render(**context)
