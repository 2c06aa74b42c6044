"""Schema of tasks.yaml: who may assign and reassign tasks, and how long a delegation may run."""
from pydantic import BaseModel, ConfigDict, Field

from policies.roles import Role


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Delegation(_Strict):
    max_days: int = Field(ge=1)


class TasksPolicy(_Strict):
    assigners: list[Role] = Field(min_length=1)
    personal_kinds: list[str] = Field(default_factory=list, description="task kinds only their holder may do")
    delegation: Delegation
