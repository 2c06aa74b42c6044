"""When to try a notice again: exponential backoff (1, 2, 4, … minutes) up to a maximum of attempts."""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=2)
    """How long a notice's claim, and the delivery run's lease, hold without renewal. The run renews both
    every third of this while it works, so only a run that died (or hangs) lets them expire."""

    @property
    def renew_every(self) -> timedelta:
        return self.lease / 3

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed try (counting from 1)."""
        return min(self.first_delay * 2 ** max(attempts - 1, 0), self.max_delay)

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed tries; None once the policy gives up."""
        return None if attempts >= self.max_attempts else now + self.delay(attempts)


DEFAULT_POLICY = RetryPolicy()
