"""Form fields for an event's payload, drawn from its pydantic model, and back again; and the one way
a page fires an event from a posted form."""
from dataclasses import dataclass

from fastapi import Request
from pydantic import BaseModel, ValidationError

import i18n
from api.pages.common import check_csrf, lang_of
from services.kernel.engine import fire
from api.errors import spoken
from services.kernel.errors import Conflict, Invalid, Refused, Spoken
from services.kernel.registry import subject_kind


@dataclass
class FormField:
    name: str
    label: str
    input: str
    required: bool
    choices: list[tuple[str, str]]  # (value sent, words shown)


def _input_of(prop: dict) -> tuple[str, list[str]]:
    options = prop.get("anyOf", [prop])
    main = next((o for o in options if o.get("type") != "null"), prop)
    if "enum" in main:
        return "select", [str(v) for v in main["enum"]]
    kind = {"integer": "number", "number": "number", "boolean": "checkbox"}.get(main.get("type"), "text")
    if main.get("format") == "date":
        kind = "date"
    if main.get("maxLength", 0) > 200:
        kind = "textarea"
    return kind, []


def form_fields(model: type[BaseModel], lang: str, within: str | None = None,
                offered: dict | None = None) -> list[FormField]:
    """The payload's fields as inputs, each labelled by the catalog: `field.<kind>.<event>.<name>` (what this
    event asks, e.g. 谈话记录) when `within` ("<kind>.<event>") names one, else the field's common word; a
    drop-down's options in words, and a field with `offered` choices (the event's `choices`) a list to pick
    from by name."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    fields = []
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop:
            prop = defs[prop["$ref"].split("/")[-1]]
        kind, codes = _input_of(prop)
        choices = [(code, i18n.label("option", code, lang, within=name)) for code in codes]
        if offered and name in offered:
            kind, choices = "select", [(str(value), words) for value, words in offered[name]]
        label = i18n.label("field", name, lang, within=within)
        fields.append(FormField(name, label, kind, name in schema.get("required", []), choices))
    return fields


def payload_from_form(model: type[BaseModel], form: dict) -> dict:
    """Keep the model's fields; drop empty optional ones so their defaults apply."""
    names = model.model_json_schema().get("properties", {})
    payload = {}
    for name in names:
        value = form.get(name)
        if value not in (None, ""):
            payload[name] = value
    return payload


@dataclass
class Fired:
    """What a form's event came to: the event, and for a refusal the reason to show, the field it is
    about (bad input), the values sent (kept in the form shown again) and the status."""
    event: str
    error: str | None = None
    status_code: int = 303
    field: str | None = None
    values: dict | None = None


async def fire_from_form(request: Request, db, actor, now, kind_name: str, subject_id: int) -> Fired:
    """Check the CSRF token, build the payload from the event's own fields (empty ones dropped so their
    defaults apply), fire with the page's version. A refusal comes back to be shown on the same page:
    409, or 422 for bad input. (Files are not sent here: uploads have streamed routes of their own.)"""
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    event = str(form.get("event", ""))
    spec = subject_kind(kind_name).events.get(event)
    version = int(form["version"]) if str(form.get("version", "")).isdigit() else None
    try:
        payload = payload_from_form(spec.payload, form) if spec else {}
        fire(db, actor, kind_name, subject_id, event, payload, now, version)
    except (Refused, Conflict, Invalid) as exc:
        field = exc.field.removeprefix("payload.") if isinstance(exc, Invalid) else None
        values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "event", "version")}
        return Fired(event, refusal_text(exc, lang_of(request)), 422 if isinstance(exc, Invalid) else 409, field, values)
    return Fired(event)


def refusal_text(exc: Exception, lang: str) -> str:
    """The reason a person reads, in their language: the rule's words, or the bad input's message led by the
    field's label (never a field name)."""
    if isinstance(exc, Conflict):
        return i18n.gettext("conflict", lang)
    if isinstance(exc, ValidationError):
        exc = Invalid.from_pydantic(exc.errors()[0])
    return spoken(exc, lang) if isinstance(exc, Spoken) else i18n.gettext("invalid", lang)
