"""What every page shares: templates, the logged-in actor from the cookie session, CSRF."""
from datetime import datetime, timezone
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup

import i18n
from i18n.words import datetime_words
from i18n.words import install as install_words
from api.pages import other_language
from api.pages.slots import shell_of
from api.security import new_csrf_token
from services.kernel.actor import Actor
from services.kernel.auth import actor_for
from services.kernel.clock import COURT_TZ
from services.kernel.notices import unread_count
from store.models.case import CLOSED_STATES

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
# `{{ _('key', n=3) }}` and `{% trans %}` in every template, in the language `render` puts in use.
templates.env.install_gettext_callables(gettext=i18n.text, ngettext=i18n.ntext, newstyle=True)
other_language.install(templates.env)  # Chinese data on English pages marked lang="zh-CN"


def court_time(at: datetime | None, lang: str | None = None) -> str:
    """An instant as the court's wall clock (Asia/Shanghai; SQLite hands back naive UTC), written in the
    reader's language (the page's, unless given): 2025年3月4日 09:30 / 2025-03-04 09:30."""
    if at is None:
        return ""
    return datetime_words((at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(COURT_TZ), lang)


templates.env.filters["court_time"] = court_time
templates.env.globals["closed_states"] = CLOSED_STATES
install_words(templates.env)  # {{ d|day }}: 2025年3月4日; {{ n|days }}, {{ n|months }}, {{ '6m'|length_words }}
# `{{ subject.state|label('state', kind.name) }}`, `{{ task.kind|label('task') }}`: a code as the reader's word.


# Catalog words come as Markup: they are the page's language, never marked as data (api/pages/other_language.py).
# pass_context: Jinja2 must not fold `'closure_rate'|label('indicator')` into the first language compiled.
@pass_context
def _label(_context, code, prefix, within=None):
    return Markup.escape(i18n.label(prefix, code, within=within))


@pass_context
def _action(_context, action):
    return Markup.escape(i18n.action_label(action))


templates.env.filters["label"] = _label
templates.env.filters["action"] = _action


class LoginRequired(Exception):
    """Raised by page_actor; the app turns it into a redirect to /login."""


def lang_of(request: Request) -> str:
    """The page language: the one chosen with the switch (at login, the user's setting), else the browser's
    `Accept-Language`, else Chinese."""
    return i18n.language(request.session.get("lang") or i18n.from_accept_language(
        request.headers.get("accept-language")))


def csrf_token(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = new_csrf_token()
    return request.session["csrf"]


def check_csrf(request: Request, token: str | None) -> None:
    if not token or token != request.session.get("csrf"):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")


class PasswordChangeRequired(Exception):
    """Logged in with a password that must be changed first: every page leads to /password."""


def page_actor(request: Request, changing_password: bool = False) -> Actor:
    user_id = request.session.get("uid")
    actor = actor_for(request.app.state.db, user_id) if user_id else None
    if actor is None:
        raise LoginRequired()
    if request.session.get("must_change") and not changing_password:
        raise PasswordChangeRequired()
    return actor


def render(request: Request, name: str, actor: Actor | None = None, status_code: int = 200, **context):
    """The page in the reader's language (or the `lang` a page was asked for, e.g. a printable list's
    ?lang=en): the template renders here, with that language in use."""
    lang = i18n.language(context.pop("lang")) if context.get("lang") else lang_of(request)
    with i18n.use(lang):
        response = templates.TemplateResponse(
            request, name, {"actor": actor, "lang": lang, "csrf": csrf_token(request),
                            "nav_groups": shell_of(request).nav_groups(actor),
                            "unread_notices": unread_notices(request, actor), **context}, status_code=status_code)
    return other_language.mark_response(response, lang)


def unread_notices(request: Request, actor: Actor | None) -> int:
    """The header's count of the logged-in person's unread notices (站内通知)."""
    if actor is None or actor.user_id is None:
        return 0
    with request.app.state.db.read() as session:
        return unread_count(session, actor.user_id)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
