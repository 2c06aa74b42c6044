"""A user's channel (kind + target) as an Apprise URL, and the check a channel passes before it is saved.

E-mail goes through the court's SMTP server, configured once as an Apprise mail URL in
COURTFLOW_SMTP_URL, e.g. `mailtos://user:pass@smtp.court.cn:465?from=courtflow@court.cn&mode=ssl`
or, for a relay on loopback, `mailto://127.0.0.1:8025?from=courtflow@court.local`. The
channel's address is added as `to=`.
"""
import os
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import apprise
from apprise.utils.parse import is_email

KINDS = ("email", "dingtalk", "wecom", "webhook", "apprise")
SMTP_URL_ENV = "COURTFLOW_SMTP_URL"

_TOKEN = re.compile(r"^[A-Za-z0-9]+$")
_WECOM_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_DINGTALK_NATIVE = "https://oapi.dingtalk.com/robot/send"
_WECOM_NATIVE = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"


def validate_channel(kind: str, target: str) -> str:
    """The cleaned target, or ValueError saying why notices could not be delivered to it."""
    target = (target or "").strip()
    if kind == "email":
        _check_address(target)
        return target
    url = apprise_url(kind, target)
    if apprise.Apprise.instantiate(url) is None:
        raise ValueError(f"{kind} channel: Apprise cannot use this target; check its form and token")
    return target


def apprise_url(kind: str, target: str) -> str:
    """The Apprise URL notices for this channel are sent to (may hold secrets: never log it)."""
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"unknown channel kind {kind!r}; expected one of: {', '.join(KINDS)}")
    if not (target or "").strip():
        raise ValueError(f"{kind} channel: the target is empty")
    return builder(target.strip())


def smtp_url() -> str:
    """The configured SMTP server as an Apprise mailto:// or mailtos:// URL."""
    url = os.environ.get(SMTP_URL_ENV, "").strip()
    if not url:
        raise ValueError(f"email channel: no SMTP server configured; set {SMTP_URL_ENV}")
    if urlsplit(url).scheme not in ("mailto", "mailtos"):
        raise ValueError(f"{SMTP_URL_ENV} must be a mailto:// or mailtos:// URL")
    return url


def _check_address(address: str) -> None:
    if not is_email(address):
        raise ValueError(f"email channel: {address!r} is not an e-mail address")


def _email(address: str) -> str:
    _check_address(address)
    parts = urlsplit(smtp_url())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "to"]
    return urlunsplit(parts._replace(query=urlencode(query + [("to", address)], safe="@")))


def _dingtalk(target: str) -> str:
    """dingtalk:// URL as is; the robot's https webhook address; or a bare token / `secret@token`."""
    if target.startswith("dingtalk://"):
        return target
    if target.startswith(_DINGTALK_NATIVE):
        query = dict(parse_qsl(urlsplit(target).query))
        target = "@".join(filter(None, (query.get("secret", ""), query.get("access_token", ""))))
    secret, _, token = target.rpartition("@")
    if not _TOKEN.match(token) or (secret and not _TOKEN.match(secret)):
        raise ValueError("dingtalk channel: expected a dingtalk:// URL, the robot's webhook address or its access token")
    return f"dingtalk://{secret + '@' if secret else ''}{token}/"


def _wecom(target: str) -> str:
    """wecombot:// URL as is; the group robot's https webhook address; or a bare key."""
    if target.startswith("wecombot://"):
        return target
    if target.startswith(_WECOM_NATIVE):
        target = dict(parse_qsl(urlsplit(target).query)).get("key", "")
    if not _WECOM_KEY.match(target):
        raise ValueError("wecom channel: expected a wecombot:// URL, the group robot's webhook address or its key")
    return f"wecombot://{target}"


def _webhook(target: str) -> str:
    """http(s)://… becomes Apprise's JSON webhook json(s)://…; the URL's query travels as `-name=value`."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("webhook channel: the target must be an http:// or https:// URL")
    query = urlencode([("-" + k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)])
    return urlunsplit(("jsons" if parts.scheme == "https" else "json", parts.netloc, parts.path or "/", query, ""))


def _apprise(target: str) -> str:
    if "://" not in target:
        raise ValueError("apprise channel: the target must be an Apprise URL such as ntfy://topic")
    return target


_BUILDERS = {"email": _email, "dingtalk": _dingtalk, "wecom": _wecom, "webhook": _webhook, "apprise": _apprise}


def redact(text: str, url: str) -> str:
    """`text` without any part of `url` that could be a secret: credentials, tokens, paths, query values."""
    for piece in sorted(_secret_pieces(url), key=len, reverse=True):
        text = text.replace(piece, "***")
    return re.sub(r"\b([a-z][a-z0-9+.-]*)://\S+", r"\1://***", text)


def _secret_pieces(url: str) -> set[str]:
    """Credentials always; other parts when long enough to be a token (short ones are words like `send`)."""
    parts = urlsplit(url)
    pieces = {*parts.path.split("/"), *(v for _, v in parse_qsl(parts.query))}
    if parts.hostname and "." not in parts.hostname:
        pieces.add(parts.hostname)  # dingtalk://TOKEN, wecombot://KEY: the "host" is the secret
    pieces = {p for p in pieces if len(p) >= 8} | {p for p in (parts.username, parts.password) if p and len(p) >= 3}
    return pieces | {unquote(p) for p in pieces}
