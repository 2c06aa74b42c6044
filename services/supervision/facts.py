"""What the lifecycles above supervision may read or call of it (contract C3, docs/contracts.md):
proposing that a case be flagged four-type, and the meeting and committee work credited in assessment."""
from services.supervision.proposals import meeting_credits, propose_four_type

__all__ = ["meeting_credits", "propose_four_type"]
