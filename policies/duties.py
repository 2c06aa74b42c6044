"""Marking a policy field as a due-date duty (履职期限), so the powers and duties lists (权责清单) read
who owes it and what it is from the schema, and how long from the policy in force: never written twice.

`Field(ge=1, json_schema_extra=duty("judge"))`; `of` is a role, or `@field` for the role (or roles) a sibling
field of the same policy names. What the duty is, in words, is the catalog's `duty.<policy>.<field path>`, or
`duty.<label>` when the marker names one (`{field}` in it is a sibling field's value: one ladder step's kind).

A field holding a mapping or a list of models whose entries each carry duties is marked `keyed_by(name)`: the
lists read each entry (a mapping by its key, a list by the entry's `key`) and give the key to the label as the
parameter `name` (e.g. the procedure of a statutory time limit)."""


def duty(of: str, unit: str = "days", label: str = "") -> dict:
    return {"duty": {"of": of, "unit": unit, "label": label}}


def keyed_by(name: str) -> dict:
    return {"keyed_by": name}
