"""Marking a policy field as a due-date duty (履职期限), so the powers and duties lists (权责清单) read
who owes it and what it is from the schema, and how long from the policy in force: never written twice.

`Field(ge=1, json_schema_extra=duty("judge", "向庭长报告", "Report to the division chief"))`; `of` is a role,
or `@field` for the role (or roles) a sibling field of the same policy names."""


def duty(of: str, zh: str, en: str, unit: str = "days") -> dict:
    return {"duty": {"of": of, "zh": zh, "en": en, "unit": unit}}
