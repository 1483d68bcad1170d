"""Rate limits: a token bucket per key (per process). Keys are a valid token's hash, or the
client's address for what no valid token stands behind (bad tokens, public routes), so that
guessing tokens does not win a fresh allowance per guess."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from litestar.types import Scope

MAX_KEYS = 100_000


class RateLimiter:
    def __init__(self, per_second: float, burst: int,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        # key → (tokens, at), the least recently seen first
        self._buckets: OrderedDict[bytes, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _tokens(self, key: bytes, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) * self.per_second)

    def take(self, key: bytes) -> float | None:
        """None if the request may go ahead, else the seconds to wait before retrying."""
        now = self.clock()
        with self._lock:
            tokens = self._tokens(key, now)
            allowed = tokens >= 1
            self._buckets[key] = (tokens - 1 if allowed else tokens, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_keys:
                # Forget the key seen least recently: idle buckets have refilled anyway,
                # and everyone else keeps their state.
                self._buckets.popitem(last=False)
            return None if allowed else (1 - tokens) / self.per_second

    def knows(self, key: bytes) -> bool:
        """Whether the key has a bucket (for tokens: it was valid when last seen)."""
        with self._lock:
            return key in self._buckets

    def waiting(self, key: bytes) -> float | None:
        """Like ``take``, but only looks: the seconds to wait, or None if one is left."""
        now = self.clock()
        with self._lock:
            tokens = self._tokens(key, now)
        return None if tokens >= 1 else (1 - tokens) / self.per_second


def client_key(scope: Scope, purpose: str) -> bytes:
    """The client's address as a limiter key (behind a trusted proxy, uvicorn puts the
    forwarded address in the scope)."""
    client = scope.get("client")
    address = client[0] if client else "unknown"
    return f"{purpose}:{address}".encode()


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
