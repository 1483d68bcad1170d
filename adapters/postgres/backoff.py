"""How long the projector leaves a failing tenant alone before trying it again.

One tenant whose batches keep failing must neither flood the log (a traceback a second) nor
take the projector's time from the others: each failure in a row doubles its wait, up to a
cap; a success forgets them all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


class Backoff:
    def __init__(self, first: float = 1.0, cap: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.first = first
        self.cap = cap
        self.clock = clock
        self._failing: dict[str, tuple[int, float]] = {}  # slug -> (failures in a row, due)

    def failed(self, slug: str) -> tuple[int, float]:
        """Count a failure; return the failures in a row and the seconds until the next try."""
        failures = self._failing.get(slug, (0, 0.0))[0] + 1
        delay = min(self.first * 2 ** (failures - 1), self.cap)
        self._failing[slug] = (failures, self.clock() + delay)
        return failures, delay

    def succeeded(self, slug: str) -> int:
        """Forget the tenant's failures; return how many there were."""
        return self._failing.pop(slug, (0, 0.0))[0]

    forget = succeeded  # a tenant no longer projected (dropped) has nothing to retry

    def due(self, slug: str) -> bool:
        failing = self._failing.get(slug)
        return failing is None or failing[1] <= self.clock()

    def wait(self, slugs: Iterable[str], longest: float) -> float:
        """Seconds until the first of ``slugs`` is due again, at most ``longest``."""
        now = self.clock()
        dues = [self._failing[slug][1] - now for slug in slugs if slug in self._failing]
        return max(0.0, min([longest, *dues]))
