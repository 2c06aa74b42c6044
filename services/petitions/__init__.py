"""信访: registering a petition, assigning, answering, closing or merging it. Its answer task is chased by the
daily chase (有信必复, monitoring.yaml `chase.kinds.answer_petition`), never to the person the petition names."""
from sqlalchemy import select

from policies.petitions import PetitionPolicy
from services.petitions.subject import PETITIONS
from store.models import Petition, Task


def named_in_petition():
    """The person a petition names, for the chase's notices by role about its tasks."""
    return select(Petition.named_user_id).where(Petition.id == Task.subject_id).scalar_subquery()


def plug(registry) -> None:
    registry.add_lifecycle("petitions")
    registry.add_subject(PETITIONS)
    registry.add_unseen("petitions", named_in_petition)
    registry.add_policy("petitions", PetitionPolicy)
    registry.add_notice_dir("petitions")
