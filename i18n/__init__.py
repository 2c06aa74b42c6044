"""Every text a person reads, in Chinese (zh_CN, the default) and English, from the gettext catalogs.

The catalogs are `i18n/locale/<language>/LC_MESSAGES/<domain>.po`, one domain per lifecycle (and `shell`
for the pages every role shares), read with Babel when first asked for (no compiled .mo: a fresh clone
works as it is). A message id is a stable dotted key (`case.overdue_n`, `state.requested`); its texts
take named parameters written `%(n)s`, the form Jinja2's i18n extension fills in too. `gettext` is the
one function services, notifications, documents and pages translate with; `python -m i18n check`
(`courtflow i18n check`) fails on a key used but missing, or present in one language only.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterator

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh_CN", "en")
DEFAULT = "zh_CN"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


def language(code: str | None) -> str:
    """The catalog for a language as people and browsers name it: `en`, `en-GB` → en; `zh`, `zh-CN`, anything
    else or nothing → zh_CN (the court's language)."""
    return "en" if code and code.strip().lower()[:2] == "en" else DEFAULT


def from_accept_language(header: str | None) -> str | None:
    """The first language of an `Accept-Language` header we have a catalog for, or None."""
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag[:2] in ("en", "zh"):
            return language(tag)
    return None


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """All texts of one language: the union of its domains (a key in two domains is an error)."""
    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            for message in read_po(f, locale=lang):
                if not message.id:
                    continue
                if message.id in texts:
                    raise ValueError(f"{po}: message {message.id!r} is defined in two domains")
                texts[message.id] = message.string
    return texts


def has(key: str) -> bool:
    return bool(catalog(DEFAULT).get(key))


def text(key: str, lang: str | None = None) -> str:
    """The text of `key` in `lang` (default: the language in use, see `use`) as the catalog writes it,
    parameters unfilled (Jinja2's i18n extension fills them). A key the catalogs lack comes back as
    itself: `courtflow i18n check` keeps that from shipping."""
    code = language(lang) if lang is not None else _current.get()
    return catalog(code).get(key) or catalog(DEFAULT).get(key) or key


def ntext(singular: str, plural: str, n: int) -> str:
    """Chinese has one form; English picks by `n`: a key for each (`x.n_items`, `x.n_items_plural`)."""
    return text(singular if n == 1 or _current.get() != "en" else plural)


def action_label(action: str, lang: str | None = None) -> str:
    """A timeline entry's action (the trace's `kind.event`, `refused:kind.event`) as words: the catalog's
    `action.<action>` for what is not an event, else the event's word."""
    refused = action.startswith("refused:")
    plain = action.removeprefix("refused:")
    words = label("action", plain, lang)
    if words == plain and "." in plain:
        kind, event = plain.split(".", 1)
        words = label("event", event, lang, within=kind)
        words = plain if words == event else words
    return gettext("action.refused", lang, action=words) if refused else words


# Parameters named for a code are shown as its word: a refusal carries `state="requested"`, the reader sees
# 待审批 / Requested. `subject_kind` names the kind whose own words for its states and events come first.
CODE_PARAMS = {"state": "state", "event": "event", "subject_kind": "kind", "procedure": "procedure", "role": "role",
               "approver_role": "role", "assignee_role": "role", "decider_role": "role", "report_kind": "report_kind",
               "power": "power"}
CODE_LIST_PARAMS = {"roles": "role", "allowed": "role", "held": "role"}


def gettext(key: str, lang: str | None = None, /, **params) -> str:
    """The text of `key` in `lang` (default: the language in use), its `%(name)s` parameters filled in
    (a literal per cent sign is written `%%`, as for Jinja2): codes as words (CODE_PARAMS)."""
    return text(key, lang) % shown_params(params, lang)


def shown_params(params: dict, lang: str | None = None) -> dict:
    """The parameters as the reader sees them: codes as words, dates written in the language (2025年3月12日)."""
    from i18n.words import date_words  # words reads this module's language helpers

    kind = params.get("subject_kind")
    shown = {}
    for name, value in params.items():
        if isinstance(value, date):
            value = date_words(value, lang)
        elif name in CODE_PARAMS and isinstance(value, str):
            value = label(CODE_PARAMS[name], value, lang, within=kind if name in ("state", "event") else None)
        elif name in CODE_LIST_PARAMS and isinstance(value, str):
            value = text("list_separator", lang).join(
                label(CODE_LIST_PARAMS[name], v.strip(), lang) for v in value.split(","))
        shown[name] = value
    return shown


class Message(str):
    """A message id and its parameters for a rule of the domain to hand back (the domain raises nothing of the
    services'); as a str it reads as its English text, for logs and tests."""

    def __new__(cls, key: str, **params):
        message = super().__new__(cls, text(key, "en") % params)
        message.key, message.params = key, params
        return message


def current() -> str:
    return _current.get()


@contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Translate in `lang` inside the block (a page while it renders, a notice while it is written)."""
    token = _current.set(language(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def label(prefix: str, code: str | None, lang: str | None = None, within: str | None = None) -> str:
    """The word for a code of the domain: `label('state', 'requested')` → 已申请. With `within` (a subject
    kind), `prefix.within.code` comes first when the catalog has it: `event.extensions.withdraw` → 撤回申请,
    a state that a kind names its own way. An unknown code is shown as itself (`courtflow i18n check` lists
    the codes the machines, tasks and policies use, so none is unknown in a release)."""
    if code is None or code == "":
        return ""
    for key in ([f"{prefix}.{within}.{code}"] if within else []) + [f"{prefix}.{code}"]:
        text = catalog(language(lang) if lang is not None else _current.get()).get(key) or catalog(DEFAULT).get(key)
        if text:
            return text
    return str(code)
