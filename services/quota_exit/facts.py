"""What the lifecycles above the quota exit may call of it (contract C2, docs/contracts.md): opening a
mandatory exit from the assessment ladder, inside the caller's transaction."""
from services.quota_exit.proceedings import open_exit_proceeding

__all__ = ["open_exit_proceeding"]
