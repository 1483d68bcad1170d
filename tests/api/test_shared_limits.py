"""Rate limits shared across processes: every API process (here: two limiters over one
database, as two workers hold) draws on one allowance per key."""

from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from adapters.http.ratelimit import SharedRateLimiter
from tenants.cache import Remembered
from tenants.tokens import token_hash
from tests.api.flow import bearer, create_tenant


@pytest.fixture
def two_workers(container) -> Any:
    """Two apps, each with its own limiter (and the local memory of refusals it keeps),
    over the same buckets; one clock we move."""
    with container.pool.connection() as conn:
        conn.execute("TRUNCATE kaoping.rate_buckets")
    now = [5000.0]
    clients = [TestClient(create_app(container, limiter=SharedRateLimiter(
        container.pool, per_second=0.5, burst=4, clock=lambda: now[0]))) for _ in range(2)]
    with clients[0], clients[1]:
        yield clients, now


def test_a_burst_split_across_two_processes_is_limited_as_one(two_workers, new_slug) -> None:
    (one, two), now = two_workers
    admin = create_tenant(one, new_slug())  # its requests come from the operator's token
    url, headers = admin.url("/schools"), bearer(admin.token)
    statuses = [(one if i % 2 else two).get(url, headers=headers).status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]  # four in all, not four each
    now[0] += 2  # one token back, for whichever process asks first
    assert two.get(url, headers=headers).status_code == 200
    assert one.get(url, headers=headers).status_code == 429


def test_a_refusal_remembered_in_a_process_ends_when_the_bucket_refills(
        two_workers, new_slug) -> None:
    (one, _), now = two_workers
    admin = create_tenant(one, new_slug())
    url, headers = admin.url("/schools"), bearer(admin.token)
    assert [one.get(url, headers=headers).status_code for _ in range(5)][-1] == 429
    refused = one.get(url, headers=headers)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "2"
    now[0] += 2
    assert one.get(url, headers=headers).status_code == 200


def test_guesses_from_one_address_are_counted_across_processes(two_workers, new_slug) -> None:
    (one, two), _ = two_workers
    admin = create_tenant(one, new_slug())
    url = admin.url("/schools")
    statuses = [(one if i % 2 else two).get(url, headers=bearer(f"kp_guess_{i}")).status_code
                for i in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]


@pytest.fixture
def leasing(container) -> Any:
    """Two processes' limiters as ``kaoping serve`` makes them, each with a cache of
    principals (burst 32: leases of 2). The caches here hear no notices, so nothing but the
    test decides what they keep (notices: tests/integration/test_tenant_caches.py)."""
    with container.pool.connection() as conn:
        conn.execute("TRUNCATE kaoping.rate_buckets")
    now = [5000.0]
    clients = []
    for _ in range(2):
        principals: Remembered[bytes, Any] = Remembered()
        principals.reset(listening=True)
        clients.append(TestClient(create_app(container, limiter=SharedRateLimiter(
            container.pool, per_second=0.5, burst=32, clock=lambda: now[0],
            principals=principals))))
    with clients[0], clients[1]:
        yield clients, now


def bucket(container, token: str) -> float:
    with container.pool.connection() as conn:
        return conn.execute("SELECT tokens FROM kaoping.rate_buckets WHERE key = %s",
                            (token_hash(token),)).fetchone()["tokens"]


def test_a_process_spends_a_lease_of_a_tokens_bucket_without_asking_again(
        leasing, container, new_slug) -> None:
    (one, _), _ = leasing
    admin = create_tenant(one, new_slug())
    url, headers = admin.url("/schools"), bearer(admin.token)
    assert one.get(url, headers=headers).status_code == 200  # one token: principal now kept
    charged = bucket(container, admin.token)
    assert one.get(url, headers=headers).status_code == 200  # a lease of two is taken
    assert bucket(container, admin.token) == charged - 2
    assert one.get(url, headers=headers).status_code == 200  # the lease's second token,
    assert bucket(container, admin.token) == charged - 2  # … spent here, with no statement
    assert one.get(url, headers=headers).status_code == 200  # a new lease of two
    assert bucket(container, admin.token) == charged - 4


def test_leases_split_across_two_processes_still_add_up_to_one_burst(
        leasing, new_slug) -> None:
    (one, two), now = leasing
    admin = create_tenant(one, new_slug())
    url, headers = admin.url("/schools"), bearer(admin.token)
    # create_tenant's own requests went with the operator's token: the admin's bucket is full.
    statuses = [(one if i % 3 else two).get(url, headers=headers).status_code
                for i in range(40)]
    assert statuses.count(200) == 32 and statuses[-1] == 429  # thirty-two in all, not each
    now[0] += 4  # two tokens back: one lease, for whichever process asks first
    assert [two.get(url, headers=headers).status_code for _ in range(3)] == [200, 200, 429]
    assert one.get(url, headers=headers).status_code == 429
