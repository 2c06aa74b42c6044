"""Marking a policy field as a due-date duty (履职期限), so the powers and duties lists (权责清单) read
who owes it and what it is from the schema, and how long from the policy in force: never written twice.

`Field(ge=1, json_schema_extra=duty("judge"))`; `of` is a role, or `@field` for the role (or roles) a sibling
field of the same policy names. What the duty is, in words, is the catalog's `duty.<policy>.<field path>`."""


def duty(of: str, unit: str = "days") -> dict:
    return {"duty": {"of": of, "unit": unit}}
