"""信访: registering a petition, assigning, answering, closing or merging it, and the 有信必复 sweeps."""
from policies.petitions import PetitionPolicy
from services.petitions.subject import PETITIONS
from services.petitions.sweeps import SWEEPS


def plug(registry) -> None:
    registry.add_lifecycle("petitions")
    registry.add_subject(PETITIONS)
    for name, sweep in SWEEPS.items():
        registry.add_sweep(name, sweep)
    registry.add_policy("petitions", PetitionPolicy)
    registry.add_notice_dir("petitions")
