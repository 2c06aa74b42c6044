"""Printable documents (HTML with print CSS): the dossier, the weekly notice, the quarterly report."""
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from policies.indicators import LABELS

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "document_templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


_env.filters["pct"] = _pct
_env.filters["num"] = _num
_env.globals["indicator_labels"] = LABELS


def render_document(name: str, **context) -> str:
    return _env.get_template(name).render(**context)
