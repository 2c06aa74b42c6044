"""Formal documents of a quota exit (SPEC §6, §7): the notice of proceedings, the decision, the
reconsideration decision and the higher court's decision, rendered as printable HTML from templates
and kept once each with their SHA-256, which the trace records."""
import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import select

import i18n
from i18n.words import date_words
from i18n.words import install as install_words

from services.kernel.clock import local_today
from services.quota_exit.labels import in_chinese
from services.kernel.record import record
from store.models import Court, ExitDocument, ExitProceeding, User

TEMPLATES = Path(__file__).resolve().parent / "templates" / "documents"
_env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
install_words(_env)  # 2025年3月4日, 十日内, 六个月: the documents are written in Chinese


def render_document(kind: str, context: dict) -> str:
    with i18n.use("zh_CN"):
        return _env.get_template(f"{kind}.html").render(**context)


def keep_document(cmd, proceeding: ExitProceeding, kind: str, court_id: int | None = None, **context) -> ExitDocument:
    """Render the document `kind`, keep its text and hash, and trace it (issued by the proceeding's court
    unless `court_id` names another)."""
    s, today = cmd.session, local_today(cmd.now)
    court = s.get(Court, court_id or proceeding.court_id)
    judge = s.get(User, proceeding.judge_id)
    title = in_chinese("exit_document", kind)
    html = render_document(kind, {"title": title, "court_name": court.name, "year": today.year,
                                  "proceeding_id": proceeding.id, "on_zh": date_words(today, "zh_CN"),
                                  "judge_name": judge.display_name, "staff_no": judge.staff_no or "", **context})
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    document = ExitDocument(proceeding_id=proceeding.id, kind=kind, title=title, html=html, sha256=digest,
                            rendered_on=today, rendered_by=cmd.actor.user_id)
    s.add(document)
    s.flush()
    entry = record(s, cmd.actor, "exit_proceedings.document", at=cmd.now, subject_kind="exit_proceedings",
                   subject_id=proceeding.id, court_id=proceeding.court_id, why=title,
                   after={"document_id": document.id, "kind": kind, "sha256": digest})
    document.trace_seq = entry.seq
    s.add(document)
    return document


def documents_of(session, proceeding_id: int) -> list[ExitDocument]:
    return list(session.exec(select(ExitDocument).where(ExitDocument.proceeding_id == proceeding_id)
                             .order_by(ExitDocument.id)).all())
