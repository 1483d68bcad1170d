"""Rate limits: a token bucket per key. Keys are a valid token's hash, or the client's
address for what no valid token stands behind (bad tokens, public routes), so that guessing
tokens does not win a fresh allowance per guess.

``SharedRateLimiter`` (what ``kaoping serve`` uses) keeps the buckets in PostgreSQL, so that
every API process, on this machine or another, draws on one allowance per key; the bucket of
a request with a token is taken in the statement that looks the token up. A valid token's
take leases a few tokens at once (``lease``: at most a sixteenth of the burst, so that the
other processes are short of at most that), which the process spends on the token's next
requests within ``LEASE_SECONDS``: with the token's principal kept in the catalogue's cache
(forgotten on a change to the tenant's tokens, here or by notice from another process), those
requests are admitted with no statement and no thread (docs/adr/0020). ``RateLimiter`` keeps
the buckets in the process (tests drive its clock).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.types import Scope
from psycopg_pool import ConnectionPool

from adapters.postgres.catalogue import principal_of
from adapters.postgres.ratelimits import ADMIT, PURGE, TAKE
from tenants.cache import Remembered
from tenants.model import Principal

MAX_KEYS = 100_000
PURGE_EVERY = 10_000  # takes between two purges of the shared buckets idle long enough
LEASE_MAX = 16  # tokens a process takes from a valid token's bucket at once, at most
LEASE_SHARE = 16  # … and at most this fraction of the burst
LEASE_SECONDS = 1.0  # a lease's tokens not spent by then are let go


@dataclass(frozen=True)
class Admission:
    """Who holds a token (None: not valid, or refused), and the seconds to wait if refused;
    ``token``: whether the token's own bucket was charged, else the address's guesses."""

    principal: Principal | None
    wait: float | None
    token: bool


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

    def admit(self, token_hash: bytes, guesses: bytes,
              lookup: Callable[[bytes], Principal | None]) -> Admission:
        """A token seen valid has a bucket of its own, taken before the lookup. Any other token
        is looked up only while the address has allowance left for guesses, and a token that
        proves invalid is charged to it: every guess from one address shares one allowance."""
        known = self.knows(token_hash)
        wait = self.take(token_hash) if known else self.waiting(guesses)
        if wait is not None:
            return Admission(None, wait, token=known)
        principal = lookup(token_hash)
        if principal is None:
            self.take(guesses)
            return Admission(None, None, token=False)
        if not known:
            self.take(token_hash)  # the token's own bucket starts with this request
        return Admission(principal, None, token=True)

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


class SharedRateLimiter:
    """The buckets in PostgreSQL (see adapters/postgres/ratelimits.py). A refusal is also
    remembered here until the bucket has refilled: other processes can only drain it
    further, so until then the answer is the same without asking, and a flood of refused
    requests stays off the database."""

    def __init__(self, pool: ConnectionPool[Any], per_second: float, burst: int,
                 clock: Callable[[], float] | None = None, max_keys: int = MAX_KEYS,
                 principals: Remembered[bytes, Principal] | None = None) -> None:
        """``clock``: seconds, for tests; by default the database's clock, one for all.
        ``principals``: the catalogue's cache of tokens' principals; without it every
        request with a token is admitted by a statement (no leases)."""
        self.pool = pool
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        self.principals = principals
        self.lease = lease_size(burst)  # (only with ``principals``: a lease needs one kept)
        self._refused: OrderedDict[bytes, float] = OrderedDict()  # key → refused until
        self._valid: OrderedDict[bytes, None] = OrderedDict()  # tokens seen valid here
        self._leased: OrderedDict[bytes, tuple[int, float]] = OrderedDict()  # → left, until
        self._lock = threading.Lock()
        self._takes = 0

    def _params(self, **params: Any) -> dict[str, Any]:
        return {"burst": self.burst, "rate": self.per_second,
                "now": self.clock() if self.clock else None, **params}

    def _local_now(self) -> float:
        return self.clock() if self.clock else time.monotonic()

    def _still_refused(self, key: bytes) -> float | None:
        with self._lock:
            until = self._refused.get(key)
        wait = None if until is None else until - self._local_now()
        return wait if wait is not None and wait > 0 else None

    def _settle(self, key: bytes, allowed: bool, tokens: float) -> float | None:
        """The wait the database's answer means, remembered here if it is a refusal."""
        self._takes += 1
        if self._takes % PURGE_EVERY == 0:
            self._purge()
        if allowed:
            return None
        wait = (1 - tokens) / self.per_second
        with self._lock:
            self._refused[key] = self._local_now() + wait
            self._refused.move_to_end(key)
            while len(self._refused) > self.max_keys:
                self._refused.popitem(last=False)
        return wait

    def take(self, key: bytes) -> float | None:
        """None if the request may go ahead, else the seconds to wait before retrying."""
        if (wait := self._still_refused(key)) is not None:
            return wait
        with self.pool.connection() as conn:
            row = conn.execute(TAKE, self._params(key=key, n=1)).fetchone()
        return self._settle(key, row["allowed"], row["tokens"])

    def admit_kept(self, token_hash: bytes) -> Admission | None:
        """The admission of a token whose principal is kept and whose lease has a token left
        (or which is still refused), decided here without a statement: safe to call on the
        event loop. None: ``admit`` must decide (in a thread)."""
        if (wait := self._still_refused(token_hash)) is not None:
            return Admission(None, wait, token=True)
        if self.principals is None:
            return None
        principal = self.principals.peek(token_hash)
        if principal is None:
            return None
        now = self._local_now()
        with self._lock:
            left, until = self._leased.get(token_hash, (0, now))
            if left < 1 or until <= now:
                return None
            self._leased[token_hash] = (left - 1, until)
        return Admission(principal, None, token=True)

    def _keep_lease(self, token_hash: bytes, left: int) -> None:
        with self._lock:
            self._leased[token_hash] = (left, self._local_now() + LEASE_SECONDS)
            self._leased.move_to_end(token_hash)
            while len(self._leased) > self.max_keys:
                self._leased.popitem(last=False)

    def admit(self, token_hash: bytes, guesses: bytes,
              lookup: Callable[[bytes], Principal | None]) -> Admission:
        """Who holds the token, and whether its bucket (or, for a token that is not valid,
        the bucket of guesses from the address) allows the request: one statement, which
        looks the token up itself (``lookup`` is not called) unless its principal is kept,
        and then takes a lease of the token's bucket."""
        if (wait := self._still_refused(token_hash)) is not None:
            return Admission(None, wait, token=True)
        with self._lock:
            known = token_hash in self._valid
        if not known and (wait := self._still_refused(guesses)) is not None:
            return Admission(None, wait, token=False)
        if known and (admitted := self.admit_kept(token_hash)) is not None:
            return admitted  # a lease another request of the token took meanwhile
        row = None

        def load() -> tuple[str, Principal] | None:
            # One token: a lease is taken only once the principal is kept, so that requests
            # arriving together before that do not each take one.
            nonlocal row
            with self.pool.connection() as conn:
                row = conn.execute(ADMIT, self._params(hash=token_hash,
                                                       guesses=guesses)).fetchone()
            found = principal_of(row)
            return None if found is None else (found.tenant or "", found)

        if self.principals is None:
            principal = (load() or (None, None))[1]
        else:  # kept only if no notice of a change to its tenant came meanwhile; never a
            # page's session (its every request reads it afresh, as before leases)
            principal = self.principals.lookup(token_hash, load, keep=api_token)
        if row is None:  # the principal was kept: only its bucket is taken, a lease of it
            with self.pool.connection() as conn:
                row = conn.execute(TAKE, self._params(key=token_hash,
                                                      n=self.lease)).fetchone()
        if principal is not None:
            with self._lock:
                self._valid[token_hash] = None
                self._valid.move_to_end(token_hash)
                while len(self._valid) > self.max_keys:
                    self._valid.popitem(last=False)
        charged = token_hash if principal is not None else guesses
        wait = self._settle(charged, row["allowed"], row["tokens"])
        if wait is None and principal is not None and row["granted"] > 1:
            self._keep_lease(token_hash, int(row["granted"]) - 1)
        return Admission(principal if wait is None else None, wait, token=principal is not None)

    def _purge(self) -> None:
        """Forget buckets idle long enough to have refilled: they are as good as new."""
        with self.pool.connection() as conn:
            conn.execute(PURGE, self._params(full=self.burst / self.per_second + 1))


def lease_size(burst: int) -> int:
    """The tokens a process takes from a valid token's bucket at once."""
    return max(1, min(LEASE_MAX, burst // LEASE_SHARE))


def api_token(principal: Principal) -> bool:
    return principal.kind == "api"


def client_key(scope: Scope, purpose: str) -> bytes:
    """The client's address as a limiter key (behind a trusted proxy, uvicorn puts the
    forwarded address in the scope)."""
    client = scope.get("client")
    address = client[0] if client else "unknown"
    return f"{purpose}:{address}".encode()


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
