"""The projector's retry delays for a failing tenant: doubled per failure, capped, forgotten
on success."""

from adapters.postgres.backoff import Backoff


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_each_failure_in_a_row_doubles_the_wait_up_to_the_cap() -> None:
    clock = Clock()
    backoff = Backoff(first=1.0, cap=30.0, clock=clock)
    assert backoff.due("a")
    delays = [backoff.failed("a")[1] for _ in range(8)]
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]
    assert not backoff.due("a") and backoff.due("b")
    assert backoff.wait(["a", "b"], 1.0) == 1.0 and backoff.wait(["a"], 60.0) == 30.0
    clock.now += 30
    assert backoff.due("a") and backoff.wait(["a"], 1.0) == 0.0
    assert backoff.succeeded("a") == 8
    assert backoff.failed("a") == (1, 1.0)  # a new run starts from the first delay
