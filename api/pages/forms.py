"""Form fields for an event's payload, drawn from its pydantic model, and back again."""
from dataclasses import dataclass

from pydantic import BaseModel


@dataclass
class FormField:
    name: str
    label: str
    input: str
    required: bool
    choices: list[str]


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


def form_fields(model: type[BaseModel], lang: str) -> list[FormField]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    fields = []
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop:
            prop = defs[prop["$ref"].split("/")[-1]]
        kind, choices = _input_of(prop)
        label = prop.get("title", name)
        if lang == "zh" and prop.get("description"):
            label = prop["description"]
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
