"""Schema of enforcement.yaml: terminating this round of enforcement (终结本次执行程序), SPEC §1.6: the
checklist each case must meet, each item recorded with its evidence, before the division chief approves."""
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from policies.time_limits import ProcedureCode

ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckItem(_Strict):
    """One condition; its name is the catalog's `termination_check.<code>`, its source `node_source.<source>`."""
    source: str
    may_not_apply: bool = False


class Termination(_Strict):
    procedures: list[ProcedureCode] = Field(min_length=1)
    months_since_filing: int = Field(ge=0)
    items: dict[ItemCode, CheckItem] = Field(min_length=1)
    review_days: int = Field(default=30, ge=1)


class EnforcementPolicy(_Strict):
    terminate_round: Termination
