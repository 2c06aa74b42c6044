"""Every policy file by name, validated on load; a court's overrides merge over the defaults."""
from functools import lru_cache

from pydantic import BaseModel, ValidationError

from policies.assessment import AssessmentPolicy
from policies.assignment import AssignmentPolicy
from policies.calendar import CalendarPolicy
from policies.errors import PolicyError
from policies.loading import DEFAULTS_DIR, display_path, dotted_key, read_yaml
from policies.indicators import IndicatorPolicy
from policies.ladder import Ladder
from policies.monitoring import MonitoringPolicy
from policies.quota_exit import QuotaExitPolicy
from policies.petitions import PetitionPolicy
from policies.supervision import SupervisionPolicy
from policies.quality_review import QualityReviewPolicy
from policies.time_limits import TimeLimitPolicy

MODELS: dict[str, type[BaseModel]] = {
    "time_limits": TimeLimitPolicy,
    "monitoring": MonitoringPolicy,
    "assignment": AssignmentPolicy,
    "calendar": CalendarPolicy,
    "quota_exit": QuotaExitPolicy,
    "assessment": AssessmentPolicy,
    "indicators": IndicatorPolicy,
    "ladder_liaoning": Ladder,
    "ladder_spc": Ladder,
    "ladder_observation": Ladder,
    "petitions": PetitionPolicy,
    "supervision": SupervisionPolicy,
    "quality_review": QualityReviewPolicy,
}


@lru_cache
def default_raw(name: str) -> dict:
    if name not in MODELS:
        raise PolicyError(f"unknown policy {name!r}; known: {', '.join(MODELS)}")
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
        return MODELS[name].model_validate(data)
    except ValidationError as exc:
        raise PolicyError("\n".join(f"{source}: {dotted_key(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                                     for e in exc.errors())) from exc


def validate_defaults() -> None:
    """Load every default file; start-up calls this so a bad file stops it with file and key."""
    for name in MODELS:
        build(name)
