"""When to try a notice again: exponential backoff (1, 2, 4, … minutes) up to a maximum of attempts."""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=1)
    stale_claim: timedelta = timedelta(minutes=10)
    """A claim this old belongs to a run that died; the next run may take the notice over."""

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed try (counting from 1)."""
        return min(self.first_delay * 2 ** max(attempts - 1, 0), self.max_delay)

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed tries; None once the policy gives up."""
        return None if attempts >= self.max_attempts else now + self.delay(attempts)


DEFAULT_POLICY = RetryPolicy()
