"""Every policy file by name, validated on load; a court's overrides merge over the defaults.

Which files there are, and the schema of each, is what the lifecycles plug into the registry
(`registry.add_policy` in each `plug()`); the composition root hands that table over once with
`use_schemas()`. This module keeps no table of its own and imports no lifecycle.
"""
from collections.abc import Mapping
from functools import lru_cache

from pydantic import BaseModel, ValidationError

from policies.errors import PolicyError
from policies.loading import DEFAULTS_DIR, display_path, dotted_key, read_yaml

_schemas: dict[str, type[BaseModel]] = {}


def use_schemas(schemas: Mapping[str, type[BaseModel]]) -> None:
    """The policy files plugged in (name → schema); services/bootstrap.py calls this at start-up."""
    _schemas.clear()
    _schemas.update(schemas)


def schema(name: str) -> type[BaseModel]:
    """The schema plugged in for the policy file `name` (PolicyError naming the known ones otherwise)."""
    if name not in _schemas:
        raise PolicyError(f"unknown policy {name!r}; known: {', '.join(_schemas)}")
    return _schemas[name]


def default_raw(name: str) -> dict:
    """The shipped file `name` as read (only a file plugged in is read)."""
    schema(name)
    return _read_default(name)


@lru_cache
def _read_default(name: str) -> dict:
    return read_yaml(DEFAULTS_DIR / f"{name}.yaml") or {}


def deep_merge(base: dict, override: dict) -> dict:
    """Mappings merge key by key; any other value (lists included) is replaced whole."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def build(name: str, overrides: list[tuple[str, dict]] = ()) -> BaseModel:
    """The default merged with (source, data) overrides in order, validated; errors name source and key."""
    data, source = default_raw(name), display_path(DEFAULTS_DIR / f"{name}.yaml")
    for source_name, override in overrides:
        data, source = deep_merge(data, override), source_name
    try:
        return schema(name).model_validate(data)
    except ValidationError as exc:
        raise PolicyError("\n".join(f"{source}: {dotted_key(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                                     for e in exc.errors())) from exc


def validate_defaults() -> None:
    """Load every default file plugged in; start-up calls this so a bad file stops it with file and key."""
    for name in _schemas:
        build(name)
