"""One shape for every subject: GET its state and allowed events, POST a transition."""
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import CurrentActor, DbDep, NowDep
from api.params import IdPath, Kind
from api.responses import SubjectView
from services import transitions
from services.bounds import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["subjects"])


class TransitionIn(BaseModel):
    event: str = Field(min_length=1, max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict)
    expected_version: int | None = Field(default=None, ge=0, le=MAX_ID, description="refuse with 409 if the subject moved on")


@router.get("/{kind}/{subject_id}", response_model=SubjectView)
def get_subject(kind: Kind, subject_id: IdPath, actor: CurrentActor, db: DbDep, now: NowDep):
    """A subject's state, version and the events the caller may fire now."""
    return transitions.view(db, actor, kind, subject_id, now)


@router.post("/{kind}/{subject_id}/transitions", response_model=SubjectView)
def post_transition(kind: Kind, subject_id: IdPath, body: TransitionIn, actor: CurrentActor, db: DbDep, now: NowDep):
    """Fire one event: 409 with the reason and allowed events when refused, 422 on a bad payload."""
    return transitions.fire(db, actor, kind, subject_id, body.event, body.payload, now, body.expected_version)
