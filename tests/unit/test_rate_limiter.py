"""The limiter's table: past its cap it forgets the keys seen least recently, never all."""

from adapters.http.ratelimit import RateLimiter


def test_past_the_cap_the_oldest_keys_go_and_recent_ones_keep_their_state() -> None:
    now = [0.0]
    limiter = RateLimiter(per_second=0.001, burst=2, clock=lambda: now[0], max_keys=3)
    limiter.take(b"old")
    limiter.take(b"busy")
    limiter.take(b"busy")
    for key in (b"new1", b"new2"):  # two more keys push the table past its cap of three
        now[0] += 1
        limiter.take(key)
    assert not limiter.knows(b"old")  # the least recently seen key went, and only it
    assert limiter.knows(b"new1") and limiter.knows(b"new2")
    assert limiter.take(b"busy") is not None  # busy's spent bucket was kept: still refused


def test_a_recently_used_key_survives_eviction_with_its_bucket_still_spent() -> None:
    now = [0.0]
    limiter = RateLimiter(per_second=0.001, burst=2, clock=lambda: now[0], max_keys=3)
    limiter.take(b"quiet")
    limiter.take(b"busy")
    limiter.take(b"busy")
    for i in range(5):  # many one-off keys; the busy client keeps coming back
        limiter.take(f"guess{i}".encode())
        assert limiter.take(b"busy") is not None  # still refused: its state was kept
    assert not limiter.knows(b"quiet")  # the idle key was forgotten, not everyone


def test_waiting_only_looks() -> None:
    limiter = RateLimiter(per_second=0.001, burst=1, clock=lambda: 0.0)
    assert limiter.waiting(b"k") is None and limiter.waiting(b"k") is None
    assert limiter.take(b"k") is None
    assert limiter.waiting(b"k") is not None
