"""Schema and loader for the statutory time-limit policy (审限), time_limits.yaml."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator,
                      StringConstraints, WithJsonSchema, model_validator)

from policies.deadline import Duration
from policies.duties import duty, keyed_by
from policies.errors import UnknownProcedure, UnknownVariant
from policies.loading import DEFAULTS_DIR, load_yaml_model

DEFAULT_TIME_LIMITS_PATH = DEFAULTS_DIR / "time_limits.yaml"


def _to_duration(value: object) -> Duration:
    return value if isinstance(value, Duration) else Duration.parse(value)


DurationField = Annotated[
    Duration,
    PlainValidator(_to_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+[md]$"}),
]
ProcedureCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
Approver = Literal["president", "higher_court", "high_court"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExtensionStep(_Strict):
    """One approved extension in order; length None means the approver sets it."""

    length: DurationField | None
    approver: Approver
    note: str | None = None


class Variant(_Strict):
    """An alternative limit for a case meeting `condition` (e.g. a long possible sentence)."""

    limit: DurationField | None
    condition: str


class ProcedureLimit(_Strict):
    """The time-limit rules of one procedure (SPEC §1.1 table row)."""

    # the procedure's name: the catalog's `procedure.<code>` (i18n); deciding within it is the panel's duty
    limit: DurationField | None = Field(json_schema_extra=duty("judge", unit="limit", label="time_limits.limit"))
    extensions: list[ExtensionStep] = []
    variants: dict[str, Variant] = {}
    max_total: DurationField | None = None
    max_adjournments: int = Field(ge=0)
    notes: str | None = None


class ExtensionRequestRule(_Strict):
    """How early an extension must be requested and decided, in days before expiry."""

    file_at_least_days_before: int = Field(ge=0, json_schema_extra=duty("judge", unit="days_before_expiry"))
    decide_at_least_days_before: int = Field(ge=0, json_schema_extra=duty("president", unit="days_before_expiry"))

    @model_validator(mode="after")
    def _decided_after_filed(self):
        if self.decide_at_least_days_before > self.file_at_least_days_before:
            raise ValueError("decide_at_least_days_before exceeds file_at_least_days_before")
        return self


class TimeLimitPolicy(_Strict):
    """Schema of time_limits.yaml."""

    extension_request: ExtensionRequestRule
    procedures: dict[ProcedureCode, ProcedureLimit] = Field(json_schema_extra=keyed_by("procedure"))

    def procedure(self, code: str) -> ProcedureLimit:
        try:
            return self.procedures[code]
        except KeyError:
            raise UnknownProcedure(code) from None

    def limit(self, code: str, variant: str | None = None) -> Duration | None:
        """The procedure's limit, or its variant's when a variant key is given."""
        proc = self.procedure(code)
        if variant is None:
            return proc.limit
        if variant not in proc.variants:
            raise UnknownVariant(code, variant, sorted(proc.variants))
        return proc.variants[variant].limit


def load_time_limits(path: Path | str | None = None) -> TimeLimitPolicy:
    """Load and validate a time-limit policy (the shipped default if no path)."""
    return load_yaml_model(path or DEFAULT_TIME_LIMITS_PATH, TimeLimitPolicy)


@lru_cache(maxsize=1)
def default_time_limits() -> TimeLimitPolicy:
    """The shipped default policy, loaded once per process."""
    return load_time_limits()


def procedure(code: str) -> ProcedureLimit:
    """Look up a procedure in the default policy; UnknownProcedure if absent."""
    return default_time_limits().procedure(code)
