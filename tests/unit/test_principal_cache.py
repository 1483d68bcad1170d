"""A token's principal is remembered for a moment, and forgotten as soon as access may
have been taken away (adapters/http/auth.Principals)."""

from uuid import uuid4

from adapters.http.auth import Principals
from tenants.model import Principal

JUDGE = Principal("judge", uuid4(), "t1", "active")


class Catalogue:
    def __init__(self) -> None:
        self.valid: dict[bytes, Principal] = {b"k": JUDGE}
        self.generation = 0
        self.lookups = 0
        self.during_lookup = lambda: None

    def principal(self, key: bytes) -> Principal | None:
        self.lookups += 1
        found = self.valid.get(key)
        self.during_lookup()
        return found

    def revoke(self, key: bytes) -> None:
        self.valid.pop(key, None)
        self.generation += 1


def principals(catalogue: Catalogue, now: list[float]) -> Principals:
    return Principals(catalogue.principal, lambda: catalogue.generation, ttl=1.0,
                      clock=lambda: now[0])


def resolve(cache: Principals, key: bytes) -> Principal | None:
    return cache.remembered(key) or cache.look_up(key)


def test_a_callers_requests_within_the_ttl_ask_the_catalogue_once() -> None:
    catalogue, now = Catalogue(), [0.0]
    cache = principals(catalogue, now)
    assert [resolve(cache, b"k") for _ in range(5)] == [JUDGE] * 5
    assert catalogue.lookups == 1
    now[0] = 1.0
    assert resolve(cache, b"k") == JUDGE and catalogue.lookups == 2


def test_a_revocation_in_this_process_refuses_the_next_request_at_once() -> None:
    catalogue, now = Catalogue(), [0.0]
    cache = principals(catalogue, now)
    assert resolve(cache, b"k") == JUDGE
    catalogue.revoke(b"k")
    assert resolve(cache, b"k") is None


def test_a_principal_read_while_a_revocation_committed_is_not_trusted_afterwards() -> None:
    catalogue, now = Catalogue(), [0.0]
    cache = principals(catalogue, now)
    # the lookup read the token as valid; the revocation commits before it is remembered
    catalogue.during_lookup = lambda: catalogue.revoke(b"k")
    assert resolve(cache, b"k") == JUDGE  # (that request began before the revocation)
    catalogue.during_lookup = lambda: None
    assert resolve(cache, b"k") is None


def test_unknown_tokens_are_never_remembered() -> None:
    catalogue, now = Catalogue(), [0.0]
    cache = principals(catalogue, now)
    assert resolve(cache, b"guess") is None and resolve(cache, b"guess") is None
    assert catalogue.lookups == 2
