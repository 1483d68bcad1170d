"""What a process keeps about tenants (``tenants.cache.Remembered``): kept only while notices
of changes arrive, forgotten per tenant, never kept across a change it raced with."""

from __future__ import annotations

from tenants.cache import Remembered


class Reads:
    def __init__(self, values: dict[str, tuple[str, int] | None]) -> None:
        self.values = values
        self.count = 0

    def of(self, key: str):
        def load() -> tuple[str, int] | None:
            self.count += 1
            return self.values[key]
        return load


def listening() -> Remembered[str, int]:
    kept: Remembered[str, int] = Remembered()
    kept.reset(listening=True)
    return kept


def test_a_value_is_read_once_while_notices_arrive() -> None:
    kept, reads = listening(), Reads({"k": ("a", 1)})
    assert [kept.lookup("k", reads.of("k")) for _ in range(3)] == [1, 1, 1]
    assert reads.count == 1


def test_nothing_is_kept_while_no_notice_could_arrive() -> None:
    kept, reads = Remembered[str, int](), Reads({"k": ("a", 1)})
    assert [kept.lookup("k", reads.of("k")) for _ in range(2)] == [1, 1]
    assert reads.count == 2
    kept.reset(listening=True)
    kept.lookup("k", reads.of("k"))
    kept.reset(listening=False)  # the listener lost its connection
    kept.lookup("k", reads.of("k"))
    assert reads.count == 4


def test_forgetting_a_tenant_rereads_its_values_and_keeps_the_others() -> None:
    kept, reads = listening(), Reads({"k1": ("a", 1), "k2": ("a", 2), "k3": ("b", 3)})
    for key in ("k1", "k2", "k3"):
        kept.lookup(key, reads.of(key))
    reads.values |= {"k1": ("a", 10), "k3": ("b", 30)}
    kept.forget("a")
    assert [kept.lookup(key, reads.of(key)) for key in ("k1", "k2", "k3")] == [10, 2, 3]
    assert reads.count == 5


def test_a_value_read_while_its_tenant_changed_is_not_kept() -> None:
    kept = listening()
    calls = []

    def stale_read() -> tuple[str, int]:
        calls.append(1)
        kept.forget("a")  # the change's notice arrives while the old value is being read
        return "a", 1

    assert kept.lookup("k", stale_read) == 1
    assert kept.lookup("k", lambda: ("a", 2)) == 2


def test_a_missing_value_is_never_kept() -> None:
    kept, reads = listening(), Reads({"k": None})
    assert kept.lookup("k", reads.of("k")) is None
    reads.values["k"] = ("a", 1)  # e.g. a token issued since
    assert kept.lookup("k", reads.of("k")) == 1


def test_values_are_read_afresh_after_their_time() -> None:
    now = [0.0]
    kept: Remembered[str, int] = Remembered(ttl=60, clock=lambda: now[0])
    kept.reset(listening=True)
    reads = Reads({"k": ("a", 1)})
    kept.lookup("k", reads.of("k"))
    now[0] = 59.0
    kept.lookup("k", reads.of("k"))
    now[0] = 61.0
    kept.lookup("k", reads.of("k"))
    assert reads.count == 2


def test_the_least_recently_used_go_first_beyond_the_size() -> None:
    kept: Remembered[str, int] = Remembered(maxsize=2)
    kept.reset(listening=True)
    reads = Reads({"k1": ("a", 1), "k2": ("b", 2), "k3": ("c", 3)})
    for key in ("k1", "k2", "k1", "k3"):
        kept.lookup(key, reads.of(key))
    assert len(kept) == 2
    kept.lookup("k1", reads.of("k1"))
    assert reads.count == 3  # k1 was kept, k2 went
